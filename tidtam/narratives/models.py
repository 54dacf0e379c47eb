"""Narrative blocks, written once: how the work was driven, problems, best practices, suggestions.

A block belongs to an office, a *topic* of the crosswalk (``tidtam.frameworks.
models.Topic``: QP2, ESA 3.4.2 and inspection 3.1 are one topic) and a period.
Every form that asks for that kind of text on that topic shows the same
blocks: the paragraph an office writes in QP2's form is the one its inspection
contribution for issue 3.1 shows, and editing it in either changes it in
both. A block also remembers the node it was written for (``node``: the
indicator, or the inspection question it answers) so a document can place it.

Every change is kept as a revision. A document that is sent or approved pins
the revisions it printed (``BlockPin``, beside the observations' ``Pin`` of the
same ``PinnedDocument``), so the office keeps editing its own text while the
sent report keeps what it said.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from tidtam.frameworks.models import FrameworkNode, Topic, TopicNode
from tidtam.measures.models import Period, PinnedDocument
from tidtam.orgs.models import OrgUnit


class Level(models.Model):
    """Whom a problem or suggestion is addressed to (data: ``fixtures/kinds.yaml``)."""

    code = models.CharField("รหัส", max_length=16, unique=True)
    name_th = models.CharField("ชื่อ", max_length=120)
    short_th = models.CharField("ชื่อย่อ", max_length=32)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "ระดับของข้อเสนอ"
        verbose_name_plural = "ระดับของข้อเสนอ"
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name_th


class BlockKind(models.Model):
    """A kind of narrative block (data: ``fixtures/kinds.yaml``)."""

    code = models.CharField("รหัส", max_length=32, unique=True)
    name_th = models.CharField("ชื่อ", max_length=120)
    solutions = models.BooleanField("มีแนวทางแก้ไข", default=False)
    practice = models.BooleanField("เป็นวิธีปฏิบัติที่เป็นเลิศ", default=False)
    leveled = models.BooleanField("ระบุระดับ", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "ประเภทข้อความบรรยาย"
        verbose_name_plural = "ประเภทข้อความบรรยาย"
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name_th


class SourceKind(models.TextChoices):
    TYPED = "typed", "เขียนในแบบรายงาน"
    IMPORTED = "imported", "นำเข้าจากเอกสาร"
    MIGRATED = "migrated", "ย้ายจากข้อมูลเดิม"


class BlockContent(models.Model):
    """The content columns a block and each of its revisions carry."""

    unit_name = models.CharField("หน่วยงาน/สถานศึกษา", max_length=255, blank=True)
    title = models.CharField("ชื่อผลงาน/รูปแบบ", max_length=500, blank=True)
    text = models.TextField("ข้อความ", blank=True)
    solutions = models.JSONField("วิธีการ/แนวทางการแก้ไข", default=list, blank=True)
    steps = models.JSONField("ขั้นตอน", default=list, blank=True)

    CONTENT_FIELDS = ("unit_name", "title", "text", "solutions", "steps")

    class Meta:
        abstract = True

    def content(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.CONTENT_FIELDS}

    @property
    def is_empty(self) -> bool:
        return not any(str(v).strip() for v in (self.unit_name, self.title, self.text)) and not (
            any(s.strip() for s in self.solutions) or any(s.strip() for s in self.steps))

    @property
    def solution(self) -> str:
        """The ways of solving it as one text (a form's single solution field)."""
        return "\n".join(self.solutions)

    def as_text(self) -> str:
        """The block as one paragraph, as a synthesis or search prints it."""
        parts = [self.unit_name, f"ชื่อผลงาน : {self.title}" if self.title else "", self.text,
                 " ".join(self.steps)]
        if self.solutions:
            parts.append(f"(แนวทางแก้ไข: {'; '.join(self.solutions)})")
        return " ".join(p for p in parts if p and p.strip()).strip()


class Block(BlockContent):
    org = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="blocks",
                            verbose_name="หน่วยงาน")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="blocks", verbose_name="ประเด็น")
    node = models.ForeignKey(FrameworkNode, on_delete=models.PROTECT, related_name="blocks",
                             verbose_name="เขียนสำหรับ")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="blocks",
                               verbose_name="ช่วงเวลา")
    kind = models.ForeignKey(BlockKind, on_delete=models.PROTECT, related_name="blocks",
                             verbose_name="ประเภท")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="blocks", verbose_name="ระดับ")
    position = models.PositiveIntegerField(default=0)
    source_kind = models.CharField(max_length=16, choices=SourceKind.choices,
                                   default=SourceKind.TYPED)
    #: {"submission", "node", "slot"} typed in a form; {"file", "line"} imported; {"narrative"}…
    source = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    #: deleted by the office; kept, because a sent document may have printed it
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "ข้อความบรรยาย"
        verbose_name_plural = "ข้อความบรรยาย"
        ordering = ["position", "pk"]
        indexes = [
            models.Index(fields=["org", "topic", "period", "kind"], name="block_by_topic"),
            models.Index(fields=["org", "node", "period", "kind"], name="block_by_node"),
        ]

    def __str__(self) -> str:
        return f"{self.org.code} {self.kind.code} {self.text[:40]}"


class BlockRevision(BlockContent):
    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+")

    class Meta:
        verbose_name = "ประวัติข้อความบรรยาย"
        verbose_name_plural = "ประวัติข้อความบรรยาย"
        ordering = ["block", "version"]
        constraints = [
            models.UniqueConstraint(fields=["block", "version"], name="block_revision_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.block_id} v{self.version}"


class BlockPin(models.Model):
    """The revision of a block a pinned (sent or approved) document printed."""

    document = models.ForeignKey(PinnedDocument, on_delete=models.CASCADE,
                                 related_name="block_pins")
    block = models.ForeignKey(Block, on_delete=models.PROTECT, related_name="pins")
    revision = models.ForeignKey(BlockRevision, on_delete=models.PROTECT, related_name="pins")

    class Meta:
        verbose_name = "ข้อความที่เอกสารใช้พิมพ์"
        verbose_name_plural = "ข้อความที่เอกสารใช้พิมพ์"
        constraints = [
            models.UniqueConstraint(fields=["document", "block"], name="block_pin_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.revision}"


def topic_of(node: FrameworkNode) -> Topic | None:
    """The topic a node's blocks are written under: its first topic the seeds state."""
    link = node.topic_links.filter(inferred=False).select_related("topic").order_by(
        "topic__position", "pk").first()
    return link.topic if link else None


def topics_of(nodes: Iterable[FrameworkNode]) -> dict[int, int]:
    """node id → the id of ``topic_of(node)``, for many nodes in one query."""
    out: dict[int, int] = {}
    for link in TopicNode.objects.filter(node__in=list(nodes), inferred=False).order_by(
            "topic__position", "pk"):
        out.setdefault(link.node_id, link.topic_id)
    return out


def shown_at(node: FrameworkNode) -> Q:
    """The blocks a form for ``node`` shows: its topic's, or its own when it has no topic."""
    topic = topic_of(node)
    return Q(topic=topic) if topic is not None else Q(topic__isnull=True, node=node)


def blocks_for(org: OrgUnit, node: FrameworkNode, period: Period, *,
               include_deleted: bool = False) -> models.QuerySet[Block]:
    """Every block a form for ``node`` shows: its topic's, or its own when it has no topic.

    ``include_deleted`` is for a pinned document, which still prints a block the
    office deleted after sending it.
    """
    where = shown_at(node)
    if not include_deleted:
        where &= Q(deleted_at__isnull=True)
    return (Block.objects.filter(where, org=org, period=period)
            .select_related("kind", "level", "node__framework", "updated_by")
            .order_by("kind__position", "position", "pk"))
