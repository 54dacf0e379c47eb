"""The evaluator's screen shows what the office sent: texts, figures, evidence files, gaps."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tidtam.frameworks.models import DataElement
from tidtam.reporting import editing, workflow
from tidtam.reporting.files import attach

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_rating_screen_lists_the_evidence_and_the_missing_figures(
    client: Client, submission: Any, reporter: Any, evaluator: Any,
) -> None:
    node = submission.framework.nodes.get(code="2")
    report = editing.report_for(submission, node)
    el = DataElement.objects.get(node=node, code="dropouts_found")
    editing.save_value(reporter, report, el, "10", 0)
    att = attach(reporter, report, SimpleUploadedFile("คำสั่งแต่งตั้ง.png", PNG), "evidence",
                 caption="คำสั่งคณะทำงานติดตามเด็ก")
    workflow.apply(reporter, submission, "submit", confirm_incomplete=True)
    client.force_login(evaluator)
    body = client.get(f"/submissions/{submission.pk}/rate/").content.decode()
    row = body[body.index('id="rate-2"'):body.index('id="rate-3"')]
    assert f'href="/files/{att.pk}/"' in row and "คำสั่งแต่งตั้ง.png" in row
    assert "คำสั่งคณะทำงานติดตามเด็ก" in row
    assert "ยังไม่ได้กรอกข้อมูลที่จำเป็น" in row and "เด็กออกกลางคันที่ได้รับการช่วยเหลือ" in row
    assert client.get(f"/files/{att.pk}/").status_code == 200
