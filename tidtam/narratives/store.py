"""Writing narrative blocks: the one path every form and import uses.

Like observations, a save is optimistic (``UPDATE … WHERE version = n``): who
saves second gets a ``BlockConflict`` carrying the stored text and loses
nothing. Every change appends a revision; deleting keeps the block (a sent
document may have printed it). The caller checks permission and audits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tidtam.frameworks.models import FrameworkNode
from tidtam.limits import OutOfLimits, check_values
from tidtam.measures import store as observations
from tidtam.measures.models import Period, PinnedDocument
from tidtam.narratives.models import (
    Block,
    BlockContent,
    BlockKind,
    BlockPin,
    BlockRevision,
    Level,
    SourceKind,
    topic_of,
)
from tidtam.orgs.models import OrgUnit


class BlockConflict(Exception):
    def __init__(self, block: Block) -> None:
        super().__init__("ข้อความนี้ถูกแก้ไขโดยผู้อื่นแล้ว")
        self.block = block


class BlockRefused(ValueError):
    """Content that cannot be stored; ``message`` is Thai and names the field."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def clean(content: dict[str, Any], labels: dict[str, str] | None = None) -> dict[str, Any]:
    """The content as it will be stored, through the shared limits (``tidtam.limits``)."""
    out: dict[str, Any] = {}
    for field in BlockContent.CONTENT_FIELDS:
        value = content.get(field, [] if field in ("solutions", "steps") else "")
        if isinstance(value, list):
            value = [str(v).replace("\r\n", "\n").strip() for v in value if str(v).strip()]
        out[field] = value
    try:
        return check_values(Block, out, labels)
    except OutOfLimits as exc:
        raise BlockRefused(exc.message, exc.field) from None


def create(
    user: Any, org: OrgUnit, node: FrameworkNode, period: Period, kind: BlockKind,
    level: Level | None = None, content: dict[str, Any] | None = None, *,
    source_kind: str = SourceKind.TYPED, source: dict[str, Any] | None = None,
    labels: dict[str, str] | None = None,
) -> Block:
    fields = clean(content or {}, labels)
    by = user if user is not None and getattr(user, "is_authenticated", False) else None
    with transaction.atomic():
        last = Block.objects.filter(org=org, node=node, period=period, kind=kind).order_by(
            "-position").values_list("position", flat=True).first()
        block = Block.objects.create(
            org=org, topic=topic_of(node), node=node, period=period, kind=kind, level=level,
            position=(last or 0) + 1, source_kind=source_kind, source=source or {},
            updated_by=by, **fields)
        BlockRevision.objects.create(block=block, version=1, at=block.updated_at, by=by,
                                     **fields)
    return block


def save(user: Any, block: Block, content: dict[str, Any], version: int, *,
         set_level: bool = False, level: Level | None = None,
         labels: dict[str, str] | None = None) -> tuple[Block, dict[str, Any]]:
    """Store new content (and, with ``set_level``, the level) over ``version``.

    Returns the block and its content before.
    """
    fields = clean({**block.content(), **content}, labels)
    before = block.content()
    changes_level = set_level and level != block.level
    if before == fields and not changes_level:
        return block, before
    by = user if user is not None and getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    extra: dict[str, Any] = {"level": level} if changes_level else {}
    with transaction.atomic():
        done = Block.objects.filter(pk=block.pk, version=version, deleted_at__isnull=True).update(
            **fields, **extra, version=F("version") + 1, updated_by=by, updated_at=now)
        if not done:
            raise BlockConflict(Block.objects.select_related("updated_by").get(pk=block.pk))
        block.refresh_from_db()
        BlockRevision.objects.create(block=block, version=block.version, at=now, by=by,
                                     **fields)
    return block, before


def delete(user: Any, block: Block, version: int) -> None:
    by = user if user is not None and getattr(user, "is_authenticated", False) else None
    done = Block.objects.filter(pk=block.pk, version=version, deleted_at__isnull=True).update(
        deleted_at=timezone.now(), version=F("version") + 1, updated_by=by)
    if not done:
        raise BlockConflict(Block.objects.select_related("updated_by").get(pk=block.pk))


# --- documents that pin what they printed --------------------------------------------


def pin(document: PinnedDocument, chosen: Sequence[Block], *,
        revisions: dict[int, BlockRevision] | None = None) -> None:
    """Record, in an already pinned document, the revision of each block it shows.

    ``revisions`` (block id → revision) pins an older revision instead: a
    document compiled from sent documents prints what those pinned.
    """
    latest = {r.block_id: r for r in BlockRevision.objects.filter(
        block__in=chosen, version=F("block__version"))}
    latest.update(revisions or {})
    for block in chosen:
        rev = latest.get(block.pk) or BlockRevision.objects.create(
            block=block, version=block.version, at=block.updated_at, by=block.updated_by,
            **block.content())
        BlockPin.objects.create(document=document, block=block, revision=rev)


def pinned(document: Any) -> dict[int, BlockRevision] | None:
    """block id → the revision a pinned document printed; ``None`` while not pinned."""
    doc = observations.pinned_document(document)
    if doc is None:
        return None
    return {p.block_id: p.revision for p in doc.block_pins.select_related("revision")}
