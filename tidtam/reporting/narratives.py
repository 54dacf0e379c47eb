"""A submission's narratives: views over the office's blocks, written once per topic.

Each indicator's form shows the framework's narrative slots (data: the
framework fixture's ``narratives``); a slot shows the office's blocks of its
kind (and level) for the indicator's topic and the submission's period —
including those written in another form of the same topic, such as the
inspection contribution. A sent submission shows the revisions it was sent
with.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from tidtam.frameworks.models import FrameworkNode
from tidtam.measures.models import Period, PinnedDocument
from tidtam.narratives import store
from tidtam.narratives.models import (
    Block,
    BlockContent,
    BlockKind,
    BlockRevision,
    Level,
    blocks_for,
    topics_of,
)
from tidtam.reporting.figures import PINNED_STATES
from tidtam.reporting.models import Submission


@dataclass
class Shown:
    block: Block
    content: BlockContent  # the block, or the revision a sent submission printed
    #: written for another node of the topic (another indicator, an inspection question)
    elsewhere: bool = False

    @property
    def pk(self) -> int:
        return self.block.pk

    @property
    def version(self) -> int:
        return self.block.version


@dataclass
class Slot:
    code: str
    label: str
    kind: BlockKind
    level: Level | None
    blocks: list[Shown] = field(default_factory=list)

    @property
    def first(self) -> Shown | None:
        return self.blocks[0] if self.blocks else None


def period_of(submission: Submission) -> Period:
    return submission.round_period()


def slots(submission: Submission, node: FrameworkNode) -> list[Slot]:
    return slots_of(submission, [node])[node.pk]


def slots_of(submission: Submission, nodes: Iterable[FrameworkNode]) -> dict[int, list[Slot]]:
    """node id → the narrative slots its form shows, for every node in the same few
    queries (the evaluator reads all the indicators of a report on one screen)."""
    nodes = list(nodes)
    kinds = {k.code: k for k in BlockKind.objects.all()}
    levels = {lv.code: lv for lv in Level.objects.all()}
    # Only a sent submission is pinned (figures.pinned): a draft's form looks for no pins.
    pins = store.pinned(submission) if submission.state in PINNED_STATES else None
    topics = topics_of(nodes)
    where = Q(topic_id__in=set(topics.values()))
    untopical = [n.pk for n in nodes if n.pk not in topics]
    if untopical:
        where |= Q(topic__isnull=True, node_id__in=untopical)
    if pins is None:
        where &= Q(deleted_at__isnull=True)
    # A best practice's images: one query for every block shown, not one each.
    found = list(Block.objects.filter(where, org=submission.org, period=period_of(submission))
                 .select_related("kind", "level", "node__framework", "updated_by")
                 .order_by("kind__position", "position", "pk").prefetch_related("images"))
    out = {}
    for node in nodes:
        topic = topics.get(node.pk)
        mine = [b for b in found if (b.topic_id == topic if topic is not None
                                     else b.topic_id is None and b.node_id == node.pk)]
        out[node.pk] = [_slot(s, kinds, levels, mine, node, pins)
                        for s in submission.framework.narrative_slots]
    return out


def _slot(spec: dict[str, str], kinds: dict[str, BlockKind], levels: dict[str, Level],
          found: list[Block], node: FrameworkNode,
          pins: dict[int, BlockRevision] | None) -> Slot:
    kind, level = kinds[spec["kind"]], levels.get(spec["level"]) if spec["level"] else None
    slot = Slot(spec["code"], spec["label"], kind, level)
    for b in found:
        if b.kind_id != kind.pk or (level is not None and b.level_id != level.pk):
            continue
        elsewhere = b.node_id != node.pk
        if pins is None:
            slot.blocks.append(Shown(b, b, elsewhere))
        elif b.pk in pins:
            slot.blocks.append(Shown(b, pins[b.pk], elsewhere))
    return slot


def written(submission: Submission, nodes: Iterable[FrameworkNode]) -> dict[int, int]:
    """node id → how many non-empty blocks its form shows (one query for the blocks)."""
    nodes = list(nodes)
    topics = topics_of(nodes)
    found = [b for b in Block.objects.filter(org=submission.org, period=period_of(submission),
                                             deleted_at__isnull=True) if not b.is_empty]
    out = {}
    for node in nodes:
        topic = topics.get(node.pk)
        out[node.pk] = sum(1 for b in found if (b.topic_id == topic if topic is not None
                                                else b.topic_id is None and b.node_id == node.pk))
    return out


def blocks_of(submission: Submission, nodes: Iterable[FrameworkNode]) -> list[Block]:
    """Every live block the submission's forms show (what sending it pins)."""
    period = period_of(submission)
    seen: dict[int, Block] = {}
    for node in nodes:
        for b in blocks_for(submission.org, node, period):
            seen[b.pk] = b
    return list(seen.values())


def pin(submission: Submission, document: PinnedDocument) -> None:
    nodes = submission.framework.nodes.all()
    store.pin(document, blocks_of(submission, nodes))
