"""The Django admin: every change audited with values; history can't be erased through it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from tests.conftest import make_user
from tidtam.accounts.models import RoleAssignment
from tidtam.audit.describe import describe_text
from tidtam.audit.models import Action, AuditDeleteRefused, AuditEntry
from tidtam.evaluation.models import Rating
from tidtam.ingest.models import ImportedSheet
from tidtam.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    admin = get_user_model().objects.create_superuser("root", password="a-long-test-password")
    client.force_login(admin)
    return client


def _form(client: Client, url: str) -> dict[str, Any]:
    """The change form's current values, as the browser would post them back."""
    response = client.get(url)
    assert response.status_code == 200, url
    form = response.context["adminform"].form
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, list | tuple):
            value = [v.pk if hasattr(v, "pk") else v for v in value]
        if isinstance(value, dt.datetime):  # the admin's split date and time inputs
            local = timezone.localtime(value)
            data[f"{name}_0"], data[f"{name}_1"] = local.date().isoformat(), f"{local:%H:%M:%S}"
            continue
        data[name] = value
    for formset in response.context["inline_admin_formsets"]:
        fs = formset.formset
        data.update({f"{fs.prefix}-TOTAL_FORMS": str(fs.total_form_count()),
                     f"{fs.prefix}-INITIAL_FORMS": str(fs.initial_form_count())})
        for form in fs.forms:
            data[form.add_prefix("id")] = form.instance.pk
            for name in form.fields:
                value = form.initial.get(name)
                if value is not None:
                    data[form.add_prefix(name)] = getattr(value, "pk", value)
    return data


def test_a_rating_changed_in_the_admin_is_audited_with_before_and_after(
    admin_client: Client
) -> None:
    rating = Rating.objects.get(org__code="SPM-52-51", node__code="1", round="12m")
    url = f"/admin/evaluation/rating/{rating.pk}/change/"
    data = _form(admin_client, url)
    data["level"] = 5
    assert admin_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.about(rating).get(action=Action.ADMIN_CHANGE)
    assert entry.before == {"level": 3} and entry.after == {"level": 5}
    assert entry.user.username == "root" and entry.org.code == "SPM-52-51"
    assert describe_text(entry) == "ระดับคุณภาพ: 3 → 5"
    admin_client.post(f"/admin/evaluation/rating/{rating.pk}/delete/", {"post": "yes"})
    gone = AuditEntry.objects.get(action=Action.ADMIN_DELETE, object_id=rating.pk)
    assert gone.before["level"] == 5 and not Rating.objects.filter(pk=rating.pk).exists()


def test_role_changes_through_the_user_page_are_audited(admin_client: Client) -> None:
    user = make_user("someone", "viewer", "SPM-52-51")
    url = f"/admin/auth/user/{user.pk}/change/"
    data = _form(admin_client, url)
    prefix = "role_assignments"
    data[f"{prefix}-0-role"] = "evaluator"
    response = admin_client.post(url, data)
    assert response.status_code == 302, [
        f.errors for f in response.context["inline_admin_formsets"][0].formset.forms
    ] + [response.context["inline_admin_formsets"][0].formset.non_form_errors()]
    role = RoleAssignment.objects.get(user=user)
    assert role.role == "evaluator"
    entry = AuditEntry.objects.about(role).get(action=Action.ADMIN_CHANGE)
    assert describe_text(entry) == "บทบาท: ผู้ดูข้อมูล → ผู้ประเมิน"


def test_a_user_with_history_is_deactivated_not_deleted(admin_client: Client,
                                                        submission: Any) -> None:
    from tidtam.reporting import editing

    user = make_user("writer", "reporter", "SPM-52-51")
    node = submission.framework.nodes.get(code="1")
    editing.save_narrative(user, editing.report_for(submission, node), "drive", "ข้อความ", 0)
    page = admin_client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert "ระงับการใช้งานแทน" in page
    response = admin_client.post(f"/admin/auth/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active
    assert AuditEntry.objects.filter(user=user).count() == 1  # nothing detached
    assert AuditEntry.objects.about(user).get().action == Action.USER_DEACTIVATE
    changelist = admin_client.get("/admin/auth/user/").content.decode()
    assert "delete_selected" not in changelist and "deactivate_selected" in changelist
    # a user without history may still be deleted
    fresh = make_user("nobody", "viewer", "SPM-52-51")
    admin_client.post(f"/admin/auth/user/{fresh.pk}/delete/", {"post": "yes"})
    assert not get_user_model().objects.filter(pk=fresh.pk).exists()


def test_audit_entries_and_drafts_cannot_be_deleted_or_changed(admin_client: Client) -> None:
    office = OrgUnit.objects.get(code="SPM-52-51")
    draft = ImportedSheet.objects.create(org=office, fiscal_year=2566, source_name="x.txt",
                                         raw_text="-", repaired_text="-")
    entry = AuditEntry.objects.create(org=office, action=Action.IMPORT_DRAFT, target="x")
    for url in [f"/admin/audit/auditentry/{entry.pk}/delete/",
                f"/admin/ingest/importedsheet/{draft.pk}/delete/"]:
        assert admin_client.post(url, {"post": "yes"}).status_code == 403, url
    for url, data in [(f"/admin/ingest/importedsheet/{draft.pk}/change/",
                       {"source_name": "changed.txt", "status": "accepted"}),
                      (f"/admin/audit/auditentry/{entry.pk}/change/", {"target": "y"})]:
        admin_client.post(url, data)
    for changelist in ["/admin/audit/auditentry/", "/admin/ingest/importedsheet/"]:
        response = admin_client.post(changelist, {"action": "delete_selected",
                                                  "_selected_action": [entry.pk, draft.pk],
                                                  "post": "yes"})
        assert response.status_code in (200, 302)
    draft.refresh_from_db()
    entry.refresh_from_db()
    assert (draft.source_name, draft.status, entry.target) == ("x.txt", "draft", "x")
    assert admin_client.get(f"/admin/ingest/importedsheet/{draft.pk}/change/").status_code == 200
    with pytest.raises(AuditDeleteRefused):
        entry.delete()
    with pytest.raises(AuditDeleteRefused):
        AuditEntry.objects.filter(pk=entry.pk).delete()


def test_moving_a_unit_in_the_admin_moves_its_subtree(admin_client: Client) -> None:
    office = OrgUnit.objects.get(code="SPM-52-51")
    school = OrgUnit.objects.get(code="SCH-1")
    assert school.path.startswith(office.path)
    url = f"/admin/orgs/orgunit/{office.pk}/change/"
    data = _form(admin_client, url)
    data["parent"] = OrgUnit.objects.get(code="OPS").pk
    assert admin_client.post(url, data).status_code == 302
    office.refresh_from_db()
    school.refresh_from_db()
    assert office.path == "MOE/OPS/SPM-52-51/"
    assert school.path.startswith("MOE/OPS/SPM-52-51/") and school.depth == office.depth + 2
    assert not OrgUnit.objects.filter(path__startswith="MOE/OBEC/SPM-52-51/").exists()
    entry = AuditEntry.objects.about(office).get(action=Action.ADMIN_CHANGE)
    assert entry.before["parent"] == OrgUnit.objects.get(code="OBEC").pk
    assert "สังกัด:" in describe_text(entry)
    # a reporter of the school's old office no longer reaches it through the old path
    from tidtam.accounts.permissions import can_report

    obec_reporter = make_user("obec-rep", "reporter", "OBEC")
    assert not can_report(obec_reporter, school)


def test_moving_a_unit_under_its_own_subtree_is_refused(admin_client: Client) -> None:
    office = OrgUnit.objects.get(code="SPM-52-51")
    url = f"/admin/orgs/orgunit/{office.pk}/change/"
    data = _form(admin_client, url)
    data["parent"] = OrgUnit.objects.get(code="SCH-1").pk
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "สายการบังคับบัญชาจะวนกลับ" in response.content.decode()
    office.refresh_from_db()
    assert office.path == "MOE/OBEC/SPM-52-51/"
