"""Every page refuses office B's data to office A's reporter — the page twin of tests/api.

The URLs are enumerated from the URL configuration (all but the admin, the
API and sign-in), so a page added without a permission check fails here
until its arguments are listed below and it refuses. The result sheet's page
and each of its downloads are among them.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import make_user
from tidtam.documents.render import FORMATS
from tidtam.frameworks.models import DataElement
from tidtam.inspection import words
from tidtam.inspection.contributions import EntryData, save_entry
from tidtam.inspection.models import InspectionFramework
from tidtam.narratives.models import Block
from tidtam.orgs.models import OrgUnit
from tidtam.reporting import editing
from tidtam.reporting.files import attach
from tidtam.reporting.models import AttachmentKind

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SECRET = "ข้อความลับของเขต B"
SKIPPED_NAMESPACES = {"admin", "api"}
SKIPPED = {"login", "logout"}
# Pages every signed-in user may open: shared reference data, one's own lists and tasks.
SHARED = {"home", "org_list", "org_detail", "framework_detail", "reporting:tasks",
          "search:search", "ingest:list", "ingest:upload", "inspection:home", "plans:list",
          "analytics:synthesis", "analytics:dashboard", "analytics:jobs",
          "analytics:synthesis_download", "analytics:dashboard_download",
          # one's own account and notices: about the person, not an office
          "password_change", "password_change_done", "password_reset", "password_reset_done",
          "password_reset_confirm", "password_reset_complete", "accounts:me",
          "accounts:second_factor", "accounts:verify", "accounts:users",
          "notifications:list", "notifications:read_all", "notifications:preferences",
          # children out of school: lists of the cases one may read (names for handlers only)
          "children:list", "children:overdue", "children:export",
          # the session's own CSRF token and the "signed in again" page
          "csrf_token", "signed_in",
          # the public incident pages (no account; a tracking code shows a status only)
          "incidents:report", "incidents:reported", "incidents:track"}


def _routes() -> list[tuple[str, list[str]]]:
    """(name, parameter names) of every named page."""
    out: list[tuple[str, list[str]]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in SKIPPED_NAMESPACES:
                    continue
                walk(p.url_patterns, f"{prefix}{p.namespace}:" if p.namespace else prefix)
            elif isinstance(p, URLPattern) and p.name and p.name not in SKIPPED:
                out.append((f"{prefix}{p.name}", list(p.pattern.regex.groupindex)))

    walk(get_resolver().url_patterns, "")
    return out


@pytest.fixture
def office_b(other_submission: Any, other_reporter: Any) -> dict[str, Any]:
    """สพป.ลำปาง เขต 1: a report with a figure, a narrative, a problem, a practice, a file;
    an inspection entry; an import draft; and a third office's action plan."""
    from tidtam.ingest.models import ImportedSheet
    from tidtam.plans.models import Plan

    el = DataElement.objects.filter(node__framework=other_submission.framework,
                                    measure__value_type="integer").first()
    assert el is not None
    report = editing.report_for(other_submission, el.node)
    editing.save_value(other_reporter, report, el, "10", 0)
    editing.save_narrative(other_reporter, report, "drive", SECRET, 0)
    row = editing.add_problem(other_reporter, report)
    bp = editing.add_best_practice(other_reporter, report)
    att = attach(other_reporter, report, SimpleUploadedFile("b.png", PNG, "image/png"),
                 AttachmentKind.IMAGE)
    fw = InspectionFramework.objects.order_by("-fiscal_year").first()
    assert fw is not None
    # an issue whose words are entries (a linked issue's are the topic's blocks)
    issue = next(i for i in fw.issues() if not words.shared(i))
    entry = save_entry(other_reporter, other_submission.org, issue,
                       EntryData(section="factors", text=SECRET)).entry
    draft = ImportedSheet.objects.create(org=other_submission.org, fiscal_year=2566,
                                         source_name="b.txt", raw_text=SECRET,
                                         repaired_text=SECRET)
    plan = Plan.objects.get(office__code="SPM-65-53")
    project = plan.projects.order_by("pk").first()
    assert project is not None
    from tidtam.children.models import Case
    from tidtam.children.nationalid import generate, keyed_hash

    child_id = generate("3520", 778)
    child = Case.objects.create(org=other_submission.org, id_hash=keyed_hash(child_id),
                                national_id=child_id, id_tail=child_id[-4:], first_name=SECRET,
                                state_since="2023-01-01")
    incident, incident_file = _b_incident()
    return {
        "child": child.pk, "incident": incident.pk, "incident_file": incident_file.pk,
        "pk": other_submission.pk, "node": el.node.code, "kind": "drive", "element": el.pk,
        "row": row.pk, "bp": bp.pk, "file": att.pk, "entry": entry.pk, "issue": issue.code,
        "draft": draft.pk, "plan": plan.pk, "project": project.pk, "code": "SPP-52-1",
        "user": other_reporter.pk,
        "block": Block.objects.get(org=other_submission.org, kind__code="drive").pk,
        "role": other_reporter.role_assignments.values_list("pk", flat=True).first(),
        "province_office": "PEO52",
    }


def _b_incident() -> tuple[Any, Any]:
    """A safety incident at B with its reporter's contact and an evidence file."""
    import datetime as dt

    from tidtam.incidents import files as incident_files
    from tidtam.incidents import workflow as incidents

    case = incidents.report(None, incidents.Report(
        org_code="SPP-52-1", group_code="violence", what=SECRET,
        happened_on=dt.date(2023, 1, 5), reporter_contact=SECRET))
    handler = make_user("b-sc-op", "sc_operator", "SPP-52-1")
    f = incident_files.attach(handler, case, SimpleUploadedFile("b.png", PNG, "image/png"))
    return case, f


def _kwargs(name: str, b: dict[str, Any]) -> list[dict[str, Any]]:
    """The arguments that point each page at office B's things (several for downloads)."""
    sub = {"pk": b["pk"]}
    node = {**sub, "node": b["node"]}
    table: dict[str, list[dict[str, Any]]] = {
        "sheet": [{"year": 2566, "code": b["code"]}],
        "sheet_download": [{"year": 2566, "code": b["code"], "fmt": f} for f in FORMATS],
        "org_detail": [{"code": b["code"]}],
        "framework_detail": [{"year": 2566, "code": "qp"}],
        "analytics:synthesis_download": [{"year": 2566, "round": "12m", "fmt": "docx"}],
        "analytics:pick": [{"year": 2566, "round": "12m", "code": b["node"]}],
        "analytics:dashboard_download": [{"name": "ranking", "fmt": "csv"}],
        "ingest:detail": [{"pk": b["draft"]}], "ingest:edit": [{"pk": b["draft"]}],
        "ingest:source": [{"pk": b["draft"]}], "ingest:accept": [{"pk": b["draft"]}],
        "ingest:reject": [{"pk": b["draft"]}],
        "inspection:unit": [{"code": b["code"]}],
        "inspection:unit_issue": [{"code": b["code"], "issue_code": b["issue"]}],
        "inspection:entry_delete": [{"code": b["code"], "pk": b["entry"]}],
        "inspection:image": [{"pk": b["entry"]}],
        "inspection:report": [{"code": b["province_office"]}],
        "inspection:report_action": [{"code": b["province_office"], "action": "gather"}],
        "inspection:report_view": [{"code": b["province_office"]}],
        "inspection:report_audit": [{"code": b["province_office"]}],
        "inspection:report_file": [{"code": b["province_office"], "fmt": "docx"},
                                   {"code": b["province_office"], "fmt": "json"}],
        "plans:detail": [{"pk": b["plan"]}], "plans:dashboard": [{"pk": b["plan"]}],
        "plans:report": [{"pk": b["plan"]}],
        "plans:emenscr": [{"pk": b["plan"], "fmt": "csv"}, {"pk": b["plan"], "fmt": "xlsx"}],
        "plans:project": [{"pk": b["project"]}], "plans:project_audit": [{"pk": b["project"]}],
        "plans:progress_save": [{"pk": b["project"], "quarter": 1}],
        "plans:progress_action": [{"pk": b["project"], "quarter": 1, "action": "submit"}],
        "reporting:overview": [sub], "reporting:action": [sub], "reporting:answer": [sub],
        "reporting:audit": [sub], "reporting:rate": [sub], "reporting:indicator": [node],
        "reporting:submit_check": [sub],
        "reporting:narrative": [{**node, "kind": b["kind"]}],
        "reporting:narrative_block": [{**node, "kind": b["kind"], "block": b["block"]}],
        "reporting:value": [{**node, "element": b["element"]}],
        "reporting:problem_add": [node], "reporting:problem": [{**node, "row": b["row"]}],
        "reporting:practice_add": [node], "reporting:practice": [{**node, "bp": b["bp"]}],
        "reporting:upload": [node],
        "reporting:download": [{"pk": b["file"]}], "reporting:delete_file": [{"pk": b["file"]}],
        # B's reporter's account, managed by B's office administrators only
        **{f"accounts:{n}": [{"pk": b["user"]}] for n in (
            "user", "user_role_add", "user_active", "user_invite", "user_unlock",
            "user_2fa_reset")},
        "accounts:user_role_remove": [{"pk": b["user"], "rid": b["role"]}],
        "narratives:block": [{"pk": b["block"]}],
        "children:case": [{"pk": b["child"]}], "children:step": [{"pk": b["child"]}],
        "children:coordination": [{"code": b["code"]}], "children:dashboard": [{"code": b["code"]}],
        "incidents:dashboard": [{"code": b["code"]}],
        **{f"incidents:{n}": [{"pk": b["incident"]}] for n in ("detail", "act", "edit", "upload")},
        "incidents:download": [{"pk": b["incident_file"]}],
        "notifications:read": [{"pk": 10**9}],  # nobody's: one's own notices only
        "analytics:job": [{"pk": "00000000-0000-0000-0000-000000000000"}],  # not one's own
        "password_reset_confirm": [{"uidb64": "MQ", "token": "not-a-valid-token"}],
    }
    if name in table:
        return table[name]
    return [{}]


POSTS = {"reporting:start": {"org": "SPP-52-1", "schedule": 0},
         "incidents:report": {"school": "SCH-1", "group": "violence", "what": "x",
                              "happened_on": "2023-01-01"},
         "ingest:upload": {}, "reporting:action": {"action": "submit"}}


def test_reporter_of_a_cannot_reach_office_b_through_any_page(
    client: Client, reporter: Any, office_b: dict[str, Any]
) -> None:
    from tidtam.reporting.models import RoundSchedule

    POSTS["reporting:start"]["schedule"] = RoundSchedule.objects.get(
        framework__code="qp", round="6m").pk
    client.force_login(reporter)
    b_sheet = "/sheets/2566/SPP-52-1/"
    routes = _routes()
    names = {n for n, _ in routes}
    assert {"sheet", "sheet_download", "reporting:overview", "plans:emenscr"} <= names
    tried = 0
    for name, params in routes:
        for kwargs in _kwargs(name, office_b):
            assert set(kwargs) == set(params), f"{name}: list its arguments in _kwargs"
            url = reverse(name, kwargs=kwargs)
            for method in ("get", "post"):
                response = getattr(client, method)(url, POSTS.get(name, {"text": "x"}))
                body = response.content.decode(errors="replace")
                tried += 1
                if name in SHARED:
                    assert response.status_code in (200, 302, 403, 404, 405), (url, method)
                    assert SECRET not in body and b_sheet not in body, f"{url} leaks B"
                    continue
                assert response.status_code in (403, 404, 405), (
                    f"{method.upper()} {url}: {response.status_code}")
    assert tried > 100
    # and nothing of B changed
    from tidtam.narratives.models import Block
    from tidtam.reporting.models import Submission

    assert Block.objects.get(org__code="SPP-52-1", kind__code="drive").text == SECRET
    assert Submission.objects.get(pk=office_b["pk"]).state == "draft"
    from tidtam.incidents.models import Incident

    assert Incident.objects.get(pk=office_b["incident"]).state == "reported"
    assert not Submission.objects.filter(org=OrgUnit.objects.get(code="SPP-52-1"),
                                         round="6m").exists()


def test_a_reader_of_b_gets_the_sheet_and_every_download(
    client: Client, office_b: dict[str, Any]
) -> None:
    client.force_login(make_user("b-viewer", "viewer", "SPP-52-1"))
    assert client.get("/sheets/2566/SPP-52-1/").status_code == 200
    for fmt in FORMATS:
        assert client.get(f"/sheets/2566/SPP-52-1.{fmt}").status_code == 200, fmt
    assert "/sheets/2566/SPP-52-1/" in client.get("/").content.decode()
