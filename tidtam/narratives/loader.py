"""Load the kinds of narrative block and their levels; give every block its topic."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.db import transaction

from tidtam.fixtures import LoadResult, upsert
from tidtam.narratives.models import Block, BlockKind, Level, topic_of

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"


def load_kinds(path: Path = FIXTURES_DIR / "kinds.yaml") -> LoadResult:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    result = LoadResult()
    with transaction.atomic():
        for position, lv in enumerate(data.get("levels", [])):
            upsert(Level, {"code": str(lv["code"])}, {
                "name_th": lv["name_th"], "short_th": lv.get("short_th", ""),
                "position": position}, result)
        for position, k in enumerate(data.get("kinds", [])):
            upsert(BlockKind, {"code": str(k["code"])}, {
                "name_th": k["name_th"], "solutions": bool(k.get("solutions", False)),
                "practice": bool(k.get("practice", False)),
                "leveled": bool(k.get("leveled", False)), "position": position}, result)
    return result


def assign_topics() -> int:
    """Blocks written before their node had a topic (or migrated) get it now; idempotent."""
    changed = 0
    by_node: dict[int, object] = {}
    for block in Block.objects.filter(topic__isnull=True).select_related("node"):
        if block.node_id not in by_node:
            by_node[block.node_id] = topic_of(block.node)
        topic = by_node[block.node_id]
        if topic is not None:
            Block.objects.filter(pk=block.pk).update(topic=topic)
            changed += 1
    return changed
