"""Every page works under the Content Security Policy, as each demo role sees it.

Chromium signs in as each demo account (reporter, evaluator, approver,
viewer, administrator) and walks the site from the home page and a few start
addresses, following every link it finds, visiting each URL pattern once per
role: the pages get their representative objects from the app's own links
(a submission with figures, texts, problems, a best practice with its image
and an evidence file; an import draft; an inspection province with answers
and an image; the demo plan). On every page a listener added before any of
the page's own scripts records each ``securitypolicyviolation``, and the
console is watched for the browser's "Refused to …" errors; one violation
fails the test. The autosave (htmx posting and swapping the answer in) and
the jobs page's polling run under the policy too.

At the end every URL pattern of tidtam must have been reached by at least
one role — apart from the ones listed below as not pages (POST-only actions,
JSON API endpoints) with the reason — so a new page cannot escape the check.
Downloads are fetched and must be attachments or non-HTML, except the
self-contained ``.html`` documents, which must carry their own no-script
policy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "tidtam-demo-2566"
ROLES = ["spm5251", "evaluator", "approver", "reo15", "demo"]  # reporter … administrator
START = ["/", "/analytics/jobs/", "/search/?q=ลำปาง", "/api/docs", "/tasks/",
         "/inspection/", "/imports/", "/plans/", "/analytics/synthesis/",
         "/analytics/dashboard/", "/admin/", "/accounts/", "/accounts/2fa/",
         "/notifications/", "/notifications/preferences/", "/password/change/",
         "/password/change/done/", "/password/reset/", "/password/reset/sent/",
         "/password/reset/MQ/not-a-token/", "/password/reset/done/", "/session/signed-in/",
         "/children/", "/children/?org=SPM-52-51", "/children/overdue/", "/children/import/",
         "/children/coordination/P52/",
         "/incidents/", "/incidents/report/", "/incidents/report/?q=ลำปาง",
         "/incidents/report/?school=SCH-1", "/incidents/track/?code=DEMO-2566-0001",
         "/incidents/office/SPM-52-51/", "/incidents/office/SCH-1/"]

# URL patterns that are not pages a person opens, and why.
NOT_PAGES = {
    # htmx and form POST targets: their answers are swapped into pages that
    # are visited (the autosave below), or redirect back to one.
    "logout", "reporting:start", "reporting:action", "reporting:answer",
    "reporting:narrative", "reporting:value", "reporting:problem_add", "reporting:problem",
    "reporting:practice_add", "reporting:practice", "reporting:upload",
    "reporting:delete_file", "inspection:entry_delete", "inspection:report_action",
    "plans:progress_save", "plans:progress_action", "ingest:upload", "ingest:accept",
    "ingest:reject", "reporting:narrative_block",
    # account actions and notices marked read: POST, then back to the page they came from
    "accounts:user_role_add", "accounts:user_role_remove", "accounts:user_active",
    "accounts:user_invite", "accounts:user_unlock", "accounts:user_2fa_reset",
    "notifications:read", "notifications:read_all",
    # the second-factor step of signing in: tests/browser/test_accounts_flow.py walks it
    "accounts:verify",
    # JSON for site.js when a page's token went stale; tests/browser/test_expired_session.py
    "csrf_token",
    # a case's step: a form POST back to the case (tests/browser/test_children_phone.py)
    "children:step",
    # an incident's steps and files: POST, then back to the case's page; the page that
    # shows a new tracking code once, after the report's POST (test_incidents_flow.py)
    "incidents:act", "incidents:edit", "incidents:upload", "incidents:reported",
}
# Answers that are files, not pages: fetched, never rendered as tidtam pages.
DOWNLOADS = {"reporting:download", "inspection:image", "inspection:report_file",
             "incidents:download",
             "plans:emenscr", "sheet_download",
             "analytics:synthesis_download", "analytics:dashboard_download", "children:export"}
DOCUMENTS = {"sheet_download", "inspection:report_file"}  # .html opened in the browser
ADMIN_PAGES = ("_changelist", "_add", "_change")

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
                    " at " + (e.sourceFile || location.href) + ":" + e.lineNumber);
});
"""


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def _objects() -> list[str]:
    """Representative objects the pages link to; returns the pages that show them."""
    import hashlib

    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.urls import reverse

    from tests.ingest.seeds import SEED_004, seed_path
    from tests.inspection.helpers import add_units, answer_everything, contributors
    from tidtam.frameworks.loader import load_all
    from tidtam.frameworks.models import Framework
    from tidtam.ingest.drafts import create_draft
    from tidtam.ingest.emes_sheet import parse_emes_sheet
    from tidtam.inspection.models import Entry, EntryKind, InspectionFramework
    from tidtam.orgs.models import OrgUnit
    from tidtam.reporting import editing, workflow
    from tidtam.reporting.models import Attachment, State, Submission

    rep = get_user_model().objects.get(username="spm5251")
    office = OrgUnit.objects.get(code="SPM-52-51")
    qp = Framework.objects.get(code="qp", fiscal_year=2566)
    draft = Submission.objects.create(org=office, framework=qp, round="6m")
    node = workflow.rated_nodes(draft)[0]
    report = editing.report_for(draft, node)
    drive = editing.save_narrative(rep, report, "drive",
                                   "ขับเคลื่อนนโยบายโดยการมีส่วนร่วมของโรงเรียน", 0)
    element = node.elements.filter(measure__value_type="integer").first()
    if element is not None:
        editing.save_value(rep, report, element, "12", 0)
    row = editing.add_problem(rep, report)
    editing.save_problem(rep, report, row, "ครูไม่เพียงพอ", "จ้างครูอัตราจ้าง", row.version)
    bp = editing.add_best_practice(rep, report)
    png = _png()
    for kind, name, practice in (("image", "ภาพกิจกรรม.png", bp), ("evidence", "หลักฐาน.png", None)):
        Attachment.objects.create(
            submission=draft, report=report, block=practice, kind=kind,
            file=ContentFile(png, name="x.png"), original_name=name, content_type="image/png",
            size=len(png), sha256=hashlib.sha256(png).hexdigest(), uploaded_by=rep)
    # A submitted one for the evaluator's rating page.
    Submission.objects.create(org=office, framework=qp, round="12m", state=State.SUBMITTED)

    text = seed_path(SEED_004).read_text(encoding="utf-8")
    create_draft(parse_emes_sheet(text, source_name=SEED_004, org=office), text, rep)

    load_all()
    add_units()
    fw = InspectionFramework.objects.get(fiscal_year=2566)
    answer_everything(fw, contributors())
    issue = fw.issues().first()
    Entry.objects.create(framework=fw, province=OrgUnit.objects.get(code="P75"),
                         unit=OrgUnit.objects.get(code="SCH-75-1"), issue=issue,
                         section="best_practice", kind=EntryKind.IMAGE, title="ภาพกิจกรรม",
                         image=ContentFile(png, name="x.png"), is_final=True)
    # The demo's safety incidents, one with an evidence file.
    from tidtam.demo.loader import load_demo_registers
    from tidtam.incidents.models import Incident, IncidentFile

    load_demo_registers()
    case = Incident.objects.get(tracking_code="DEMO-2566-0001")
    evidence = IncidentFile.objects.create(
        incident=case, file=ContentFile(png, name="x.png"), original_name="หลักฐาน.png",
        content_type="image/png", size=len(png), sha256=hashlib.sha256(png).hexdigest())
    return [f"/submissions/{draft.pk}/i/{node.code}/", f"/submissions/{draft.pk}/submit/",
            reverse("incidents:download", args=[evidence.pk]),
            reverse("narratives:block", args=[drive.pk]),
            f"/inspection/unit/SCH-75-1/issue/{issue.code}/"]


def _all_patterns() -> set[str]:
    from django.urls import URLPattern, URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns: list[Any], ns: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(ns + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def _wanted(view: str) -> bool:
    if view.startswith("admin:"):
        return view == "admin:index" or view.endswith(ADMIN_PAGES)
    if view.startswith("api:"):
        return view in ("api:openapi-view", "api:openapi-json")
    return view not in NOT_PAGES


class Walk:
    def __init__(self, base: str) -> None:
        self.base = base
        self.violations: list[str] = []
        self.reached: dict[str, set[str]] = {}  # view name → roles that got a 200
        self.pages = 0

    def view_of(self, path: str) -> str | None:
        from django.urls import Resolver404, resolve

        try:
            return resolve(urlsplit(path).path).view_name
        except Resolver404:
            return None

    def watch(self, page: Any, role: str) -> None:
        def console(msg: Any) -> None:
            text = msg.text
            if msg.type == "error" and ("Content Security Policy" in text
                                        or text.startswith("Refused to")):
                self.violations.append(f"{role} {page.url}: console: {text}")

        page.on("console", console)
        page.add_init_script(WATCH)

    def collect(self, page: Any, role: str) -> None:
        page.wait_for_timeout(150)  # violations are reported asynchronously
        for v in page.evaluate("window.__csp || []"):
            self.violations.append(f"{role} {page.url}: {v}")

    def open(self, page: Any, role: str, path: str, view: str) -> list[str]:
        url = urljoin(self.base, path)
        if view in DOWNLOADS or "format=" in urlsplit(path).query:
            resp = page.request.get(url)
            if resp.status != 200:
                return []
            self.reached.setdefault(view, set()).add(role)
            if urlsplit(resp.url).path != urlsplit(url).path:
                # sent on to a page (a synthesis not made yet: its task's page): a page
                page.goto(url)
                self.collect(page, role)
                landed = self.view_of(page.url)
                if landed:
                    self.reached.setdefault(landed, set()).add(role)
                return []
            ctype = resp.headers.get("content-type", "")
            inline = "attachment" not in resp.headers.get("content-disposition", "")
            if ctype.startswith("text/html") and inline:
                policy = resp.headers.get("content-security-policy", "")
                assert view in DOCUMENTS and "default-src 'none'" in policy, (path, policy)
                page.goto(url)
                self.collect(page, role)
            return []
        resp = page.goto(url, wait_until="load")
        self.pages += 1
        if resp is None or resp.status != 200:
            return []
        self.reached.setdefault(view, set()).add(role)
        policy = resp.headers.get("content-security-policy", "")
        if not view.startswith("api:openapi-json"):
            assert "script-src 'self'" in policy and "style-src 'self'" in policy, (path, policy)
        self.collect(page, role)
        if not resp.headers.get("content-type", "").startswith("text/html"):
            return []
        # Links, and pictures (an image answer is an <img>, not a link).
        return page.eval_on_selector_all("a[href], img[src]",
                                         "els => els.map(e => e.href || e.src)")

    def crawl(self, page: Any, role: str, start: list[str]) -> None:
        queue = list(start)
        done: set[str] = set()
        while queue:
            href = queue.pop(0)
            parts = urlsplit(urljoin(self.base, href))
            if f"{parts.scheme}://{parts.netloc}" != self.base.rstrip("/"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            view = self.view_of(path)
            if view is None or not _wanted(view) or view in done:
                continue
            done.add(view)
            queue.extend(self.open(page, role, path, view))


def test_every_page_as_every_role_has_no_csp_violation(
        browser: Any, login: Callable[..., Any]) -> None:
    shown = _objects()
    entry = shown[0]
    walk = Walk(browser.base_url)

    anonymous = browser.new_context().new_page()
    walk.watch(anonymous, "anonymous")
    walk.open(anonymous, "anonymous", "/login/", "login")
    # The watcher itself: markup with a style attribute put into the page is
    # refused and reported, so a page that does that would fail this test.
    anonymous.evaluate("document.body.insertAdjacentHTML('beforeend', "
                       "'<p style=\"color:red\">x</p>')")
    walk.collect(anonymous, "anonymous")
    # Both watchers fire: the event listener and the console.
    assert any("style-src-attr blocked" in v for v in walk.violations), walk.violations
    assert any("console: " in v and "Content Security Policy" in v
               for v in walk.violations), walk.violations
    walk.violations.clear()
    anonymous.context.close()

    for role in ROLES:
        page = login(role, DEMO_PASSWORD)
        walk.watch(page, role)
        walk.crawl(page, role, [*START, *shown])
        if role == "spm5251":
            # The autosave: htmx posts the narrative and swaps the answer in.
            page.goto(urljoin(walk.base, entry))
            box = page.locator("textarea[name=text]").first
            box.fill("ข้อความที่พิมพ์ใหม่ภายใต้นโยบายความปลอดภัย")
            box.dispatch_event("change")
            page.wait_for_selector(".status .save-ok, .status :text('บันทึก')", timeout=15000)
            walk.collect(page, role)
        if role == "demo":
            page.goto(urljoin(walk.base, "/analytics/jobs/"))
            page.wait_for_timeout(3500)  # one htmx poll of the jobs list
            walk.collect(page, role)
        page.context.close()

    assert walk.violations == [], "\n".join(walk.violations[:40])
    missing = sorted(v for v in _all_patterns() if _wanted(v) and not v.startswith("admin:")
                     and v not in walk.reached)
    assert missing == [], f"pages no role reached: {missing}"
    admin_lists = [v for v in walk.reached if v.endswith("_changelist")]
    assert len(admin_lists) >= 10 and "admin:index" in walk.reached
    assert walk.pages > 100
