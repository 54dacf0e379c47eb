"""A linked issue's sub-sections are written once, as the topic's blocks.

Issue 3.1 shares the dropouts topic with QP2: its success factors, problems,
best practices and suggestions are the office's blocks, so the contribution
page offers only the blocks (and "ไม่มี"), ``save_entry`` refuses typed text
there saying where to write it, and text typed as entries before moves into
blocks — every word of it, counted — by the data migration.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from tests.inspection.helpers import contributors
from tidtam.frameworks.models import FrameworkNode
from tidtam.inspection.contributions import EntryData, save_entry
from tidtam.inspection.models import Entry, EntryKind
from tidtam.measures.models import Period
from tidtam.narratives import store as blocks
from tidtam.narratives.models import Block, BlockKind
from tidtam.orgs.models import OrgUnit
from tidtam.reporting.errors import InvalidInput

OFFICE = "SPM-74-75"


def test_linked_sub_section_refuses_typed_text(framework: Any) -> None:
    users = contributors([OFFICE, "PEO75"])
    office = OrgUnit.objects.get(code=OFFICE)
    issue = framework.issues().get(code="3.1")
    with pytest.raises(InvalidInput) as exc:
        save_entry(users[OFFICE], office, issue, EntryData("factors", text="ผู้บริหารเข้มแข็ง"))
    assert "3.1.2" in exc.value.message and "เพิ่มข้อความ" in exc.value.message
    assert "QP 2" in exc.value.message or "2" in exc.value.message
    assert not Entry.objects.filter(unit=office).exists()
    # "ไม่มี" is still an answer; the progress questions still take entries.
    save_entry(users[OFFICE], office, issue, EntryData("best_practice", kind=EntryKind.NONE))
    q = issue.questions.filter(depth=2).first()
    save_entry(users[OFFICE], office, issue, EntryData("progress", question=q, text="ติดตาม"))
    # An issue the crosswalk does not link keeps its typed entries.
    unlinked = next(i for i in framework.issues() if not i.topic_links.exists())
    save_entry(users[OFFICE], office, unlinked, EntryData("factors", text="ครูเข้มแข็ง"))
    assert Entry.objects.filter(unit=office).count() == 3


def test_page_offers_only_blocks_for_linked_sub_sections(framework: Any) -> None:
    users = contributors([OFFICE])
    c = Client()
    c.force_login(users[OFFICE])
    page = c.get(f"/inspection/unit/{OFFICE}/issue/3.1/").content.decode()
    factors = page[page.index('id="section-factors"'):page.index('id="section-problems"')]
    assert "block_add" in factors and 'name="kind" value="none"' in factors
    assert "entry-form" not in factors and "เพิ่มคำตอบ" not in factors
    progress = page[page.index('id="section-progress"'):page.index('id="section-factors"')]
    assert "entry-form" in progress
    r = c.post(f"/inspection/unit/{OFFICE}/issue/3.1/",
               {"section": "factors", "kind": "text", "text": "พิมพ์ซ้ำ", "final": "1"})
    assert r.status_code == 400 and "เพิ่มข้อความ" in r.content.decode()


@pytest.mark.django_db(transaction=True)
def test_migration_moves_every_entry_text_into_blocks() -> None:
    from tidtam.demo.loader import FIXTURES
    from tidtam.frameworks.loader import load_all
    from tidtam.inspection.models import InspectionFramework
    from tidtam.orgs.importer import import_orgs

    # Run outside a transaction, after other such tests emptied the tables: load
    # the organisations and frameworks this test needs itself.
    import_orgs((FIXTURES / "orgs.csv").read_bytes(), comment="test")
    load_all()
    framework = InspectionFramework.objects.get(code="rt", fiscal_year=2566)
    users = contributors([OFFICE])
    office = OrgUnit.objects.get(code=OFFICE)
    province = OrgUnit.objects.get(code="P75")
    issue = framework.issues().get(code="3.1")
    qp2 = FrameworkNode.objects.get(framework__code="qp", framework__fiscal_year=2566, code="2")
    period = Period.of(2566, "12m")
    # The office already wrote one factor in QP2; the same words typed as an entry add
    # nothing, other words are kept beside it.
    blocks.create(users[OFFICE], office, qp2, period,
                  BlockKind.objects.get(code="success_factor"), None, {"text": "ผู้บริหารเข้มแข็ง"})
    old = [
        ("factors", "", EntryKind.TEXT, "ผู้บริหารเข้มแข็ง", []),
        ("factors", "", EntryKind.TEXT, "ภาคีเครือข่ายร่วมมือ", []),
        ("problems", "", EntryKind.PROBLEM, "ผู้ปกครองย้ายถิ่น", ["ติดตามผ่านเครือข่าย"]),
        ("suggestions", "policy", EntryKind.TEXT, "ควรมีฐานข้อมูลเดียว", []),
        ("best_practice", "", EntryKind.NONE, "", []),
    ]
    for section, part, kind, text, solutions in old:
        Entry.objects.create(framework=framework, round=2, province=province, unit=office,
                             issue=issue, section=section, part=part, kind=kind, text=text,
                             solutions=solutions, author=users[OFFICE], is_final=True)
    texts_before = [t for _s, _p, k, t, _x in old if k != EntryKind.NONE]
    blocks_before = Block.objects.filter(org=office).count()

    executor = MigrationExecutor(connection)
    executor.migrate([("inspection", "0006_drop_own_metamodel")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("inspection", "0007_entry_texts_to_blocks")])

    mine = list(Block.objects.filter(org=office, deleted_at=None))
    said = [b.text for b in mine]
    # Every word typed before is in a block, once; only the new words added blocks.
    assert all(said.count(t) == 1 for t in texts_before)
    assert len(mine) == blocks_before + len(set(texts_before)) - 1
    problem = next(b for b in mine if b.text == "ผู้ปกครองย้ายถิ่น")
    assert problem.solutions == ["ติดตามผ่านเครือข่าย"] and problem.kind.code == "problem"
    assert next(b for b in mine if b.text == "ควรมีฐานข้อมูลเดียว").level.code == "central"  # type: ignore[union-attr]
    assert problem.source_kind == "migrated" and problem.source["inspection_entry"]
    # The moved entries are gone; "ไม่มี" stays an entry.
    assert list(Entry.objects.filter(unit=office).values_list("kind", flat=True)) == ["none"]
