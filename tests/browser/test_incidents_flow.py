"""A member of the public reports an incident on a phone; the school handles it; QP1 counts it.

The public page is used with JavaScript switched off, as on a basic phone:
find the school by name, report, get a tracking code. The school's
SC-Operator receives and assigns the case, its SC-Action starts and closes
it, and the area office's QP1 observation of cases closed at school level
counts it, with the case in its source; the office's dashboard counts it too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def _closed_at_school() -> Any:
    from tidtam.measures.models import Observation

    return Observation.objects.filter(org__code="SPM-52-51", measure__code="incidents_closed",
                                      category="violence+school").first()


def test_public_report_on_a_phone_to_closed_and_counted(
        browser: Any, login: Callable[..., Any]) -> None:
    from django.core.cache import cache

    from tests.conftest import make_user
    from tidtam.incidents.models import Incident

    cache.clear()
    make_user("flow-sco", "sc_operator", "SCH-1")
    make_user("flow-sca", "sc_action", "SCH-1")
    base = browser.base_url

    # The public, on a phone, without JavaScript and without an account.
    public = browser.new_context(viewport={"width": 390, "height": 844},
                                 java_script_enabled=False).new_page()
    public.goto(f"{base}/incidents/report/")
    public.fill("#q", "บุญวาทย์")
    public.get_by_role("button", name="ค้นหา").click()
    public.get_by_role("link", name="โรงเรียนบุญวาทย์วิทยาลัย").click()
    public.get_by_label("ภัยที่เกิดจากการใช้ความรุนแรงของมนุษย์ (Violence)").check()
    public.select_option("#threat_type", "bullying")
    public.fill("#what", "เพื่อนกลุ่มหนึ่งรังแกน้องชั้น ม.1 ทุกวันหลังเลิกเรียน")
    public.fill("#happened_on", "2023-01-16")
    public.fill("#place", "หลังอาคาร 2")
    public.fill("#reporter_contact", "089-000-1111")
    public.get_by_role("button", name="ส่งแจ้งเหตุ").click()
    code = public.locator("#tracking-code").inner_text().strip()
    assert len(code) == 14
    public.goto(f"{base}/incidents/track/?code={code}")
    assert public.locator("#case-state").inner_text() == "แจ้งเหตุ"
    case = Incident.objects.get(tracking_code=code)
    before = _closed_at_school()
    closed_before = int(before.value_decimal) if before is not None else 0

    # The school's SC-Operator receives and assigns, on a phone.
    op = login("flow-sco", PASSWORD, phone=True)
    op.goto(f"{base}/incidents/")
    op.get_by_role("link", name=code).click()
    assert "089-000-1111" in op.content()  # the handler sees the contact
    op.get_by_role("button", name="รับเรื่อง").click()
    assert op.locator("#case-state").inner_text() == "รับเรื่อง"
    op.select_option("#assignee", label="flow-sca")
    op.fill("#note-assign", "ครูแนะแนวดูแล")
    op.get_by_role("button", name="มอบหมาย").click()
    assert op.locator("#case-state").inner_text() == "มอบหมาย"
    op.context.close()

    # SC-Action works on it and closes it.
    act = login("flow-sca", PASSWORD, phone=True)
    act.goto(f"{base}/incidents/{case.pk}/")
    act.get_by_role("button", name="เริ่มดำเนินการ").click()
    act.fill("#note-close", "ไกล่เกลี่ย ติดตามหนึ่งเดือน ไม่เกิดซ้ำ")
    act.get_by_role("button", name="ปิดเรื่อง").click()
    assert act.locator("#case-state").inner_text() == "ปิดเรื่อง"
    act.context.close()

    # The office's QP1 figure counts it, with the case as its source.
    obs = _closed_at_school()
    assert obs is not None and int(obs.value_decimal) == closed_before + 1
    assert obs.source_kind == "register" and case.pk in obs.source["cases"]

    # And the office's dashboard counts it, for a viewer of the office.
    make_user("flow-viewer", "viewer", "SPM-52-51")
    viewer = login("flow-viewer", PASSWORD)
    viewer.goto(f"{base}/incidents/office/SPM-52-51/?year=2566")
    text = viewer.locator("main").inner_text()
    assert "ปิดเรื่อง\t1" in text or "ปิดเรื่อง 1" in text, text
    assert "089-000-1111" not in viewer.content()
    viewer.context.close()
    public.context.close()
