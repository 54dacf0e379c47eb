"""Every PDF tidtam makes gives its Thai back, whichever fonts the machine has.

With the stock Sarabun installed system-wide (every Thai government PC) the
PDF route once picked the system face instead of the patched one and every
ำ was lost ("ประจาปีงบประมาณ", "สานักงาน"). Each document kind is rendered in
a child process under a private fontconfig, with and without that Sarabun,
and ≥ 99% of the Thai words of the document's HTML must come back through
pdftotext.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.documents.machine_fonts import (
    families,
    fonts_conf,
    render_elsewhere,
    share_back,
    words_back,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("fc-list") is None,
                       reason="needs poppler-utils (pdftotext) and fontconfig (fc-list)"),
]


def _sheet() -> str:
    from tidtam.documents.esa_sheet import build_sheet
    from tidtam.documents.render import render_html
    from tidtam.orgs.models import OrgUnit

    return render_html(build_sheet(OrgUnit.objects.get(code="SPM-52-51"), 2566)).decode()


def _synthesis() -> str:
    from tests.conftest import make_user
    from tidtam.analytics.models import Section, SourceKind
    from tidtam.analytics.national import SCALES, build_country
    from tidtam.analytics.picking import candidates, pick
    from tidtam.analytics.synthesis import build_synthesis
    from tidtam.analytics.synthesis_render import render_html
    from tidtam.frameworks.models import Framework

    build_country(SCALES["small"], seed=7)
    fw = Framework.objects.get(code="qp", fiscal_year=2566)
    editor = make_user("editor", "evaluator", "OBEC")
    # Some picked texts, so the document carries offices' own Thai, not only headings.
    for node in fw.nodes.filter(code__in=["1", "2", "3"]):
        for c in candidates(node, "12m")[:3]:
            section = Section.BEST_PRACTICE if c.kind == SourceKind.BEST_PRACTICE else (
                Section.PROBLEM_OFFICE if c.kind == SourceKind.PROBLEM else Section.DRIVE)
            try:
                pick(editor, node, section, c.kind, c.id)
            except ValueError:
                continue
    return render_html(build_synthesis(fw, "12m")).decode()


def _inspection() -> str:
    from tests.inspection.helpers import answer_everything, contributors
    from tidtam.frameworks.loader import load_all
    from tidtam.inspection.compile import gather, report_for
    from tidtam.inspection.models import InspectionFramework
    from tidtam.inspection.render import render
    from tidtam.orgs.models import OrgUnit

    load_all()
    fw = InspectionFramework.objects.get(code="rt", fiscal_year=2566)
    users = contributors()
    answer_everything(fw, users)
    report = report_for(fw, OrgUnit.objects.get(code="PEO75"))
    gather(users["PEO75"], report)
    return render(report, "html").decode()


def _annual_report(thai: bool) -> Callable[[], str]:
    def make() -> str:
        from tidtam.plans.loader import FIXTURES, load_plan_file
        from tidtam.plans.render import render_report

        plan = load_plan_file(FIXTURES / "spm-65-53-fy2565.yaml").plan
        return render_report(plan, "html", thai=thai).decode()

    return make


DOCUMENTS: dict[str, Callable[[], str]] = {
    "result sheet": _sheet,
    "national synthesis": _synthesis,
    "inspection report": _inspection,
    "annual report": _annual_report(thai=False),
    "annual report, Thai digits": _annual_report(thai=True),
}


@pytest.mark.parametrize("with_sarabun", [True, False], ids=["system Sarabun", "no Sarabun"])
@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_pdf_gives_back_the_thai_of_its_html(kind: str, with_sarabun: bool,
                                             tmp_path: Path) -> None:
    conf = fonts_conf(tmp_path / "fontconfig", with_sarabun=with_sarabun)
    # The machine is what the case says it is, or the test proves nothing.
    assert ("Sarabun" in families(conf)) is with_sarabun
    html = DOCUMENTS[kind]()
    share, lost = words_back(html, render_elsewhere(html, conf))
    assert share >= 0.99, f"{kind}: {share:.1%} of the Thai words came back; lost {lost}"


def test_the_measure_fails_a_text_that_lost_its_sara_am() -> None:
    """The measure catches exactly the defect this file is about, and only it."""
    shown = "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาลำปาง ลำพูน ประจำปีงบประมาณ พ.ศ. 2566"
    assert share_back(shown, shown.replace("ำ", "า"))[0] < 0.8
    # Lines broken between words, as a PDF does, lose nothing.
    broken = "สำนักงานเขตพื้นที่\nการศึกษามัธยมศึกษาลำปาง ลำพูน ประจำปี\nงบประมาณ พ.ศ. 2566"
    assert share_back(shown, broken)[0] == 1
