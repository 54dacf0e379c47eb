"""Review imported documents: list the drafts, read one beside its source, accept or reject.

Anyone signed in sees the drafts of the offices they may read; accepting or
rejecting needs the right to rate that office (an evaluator, or an admin),
because accepting writes its ratings.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tidtam.accounts.permissions import can_rate, can_read, org_filter
from tidtam.documents.render import template_context
from tidtam.ingest.drafts import DraftRefused, accept, create_draft, reject
from tidtam.ingest.emes_sheet import SheetRejected, parse_emes_sheet
from tidtam.ingest.models import ImportedSheet, ImportStatus
from tidtam.ingest.sources import SourceError, decode_text
from tidtam.orgs.models import OrgUnit

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


@login_required
def draft_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ImportStatus.DRAFT)
    drafts = (
        ImportedSheet.objects.filter(org_filter(request.user, field="org__"))
        .select_related("org", "created_by", "decided_by")
        .defer("raw_text", "repaired_text", "content")
    )
    if status in ImportStatus.values:
        drafts = drafts.filter(status=status)
    return render(request, "ingest/list.html", {
        "drafts": drafts[:200], "status": status, "statuses": ImportStatus.choices,
    })


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Read an uploaded text file into a draft (the web twin of ``tidtam import``)."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "กรุณาเลือกไฟล์ข้อความที่จะนำเข้า")
        return redirect("ingest:list")
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        messages.error(request, f"ไฟล์ {upload.name} ใหญ่เกิน 5 MB")
        return redirect("ingest:list")
    org = None
    code = request.POST.get("org", "").strip()
    if code:
        org = OrgUnit.objects.filter(code=code).first()
        if org is None:
            messages.error(request, f"ไม่พบหน่วยงานรหัส '{code}'")
            return redirect("ingest:list")
    name = upload.name or "upload.txt"
    try:
        raw = decode_text(upload.read(), name)
        parsed = parse_emes_sheet(raw, source_name=name, org=org)
    except SourceError as exc:
        messages.error(request, str(exc))
        return redirect("ingest:list")
    except SheetRejected as exc:
        messages.error(request, exc.report())
        return redirect("ingest:list")
    if not can_read(request.user, parsed.org):
        messages.error(request, f"คุณไม่มีสิทธิ์ในหน่วยงาน {parsed.org.display_name}")
        return redirect("ingest:list")
    draft = create_draft(parsed, raw, request.user)
    messages.success(request, f"อ่าน {name} แล้ว บันทึกเป็นร่างรอตรวจ")
    return redirect("ingest:detail", pk=draft.pk)


def _draft_for(request: HttpRequest, pk: int) -> ImportedSheet:
    draft = get_object_or_404(ImportedSheet.objects.select_related("org"), pk=pk)
    if not can_read(request.user, draft.org):
        raise Http404("ไม่พบเอกสาร")
    return draft


@login_required
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    context = template_context(draft.content, show_checks=True)
    context.update({
        "draft": draft, "may_decide": draft.is_draft and can_rate(request.user, draft.org),
        "source_lines": draft.numbered_lines(),
    })
    return render(request, "ingest/detail.html", context)


@login_required
@require_POST
def draft_accept(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    if not can_rate(request.user, draft.org):
        raise PermissionDenied("ต้องเป็นผู้ประเมินของหน่วยงานนี้จึงรับเข้าได้")
    try:
        done = accept(draft.pk, request.user)
    except DraftRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done.summary())
    return redirect("ingest:detail", pk=draft.pk)


@login_required
@require_POST
def draft_reject(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    if not can_rate(request.user, draft.org):
        raise PermissionDenied("ต้องเป็นผู้ประเมินของหน่วยงานนี้จึงตัดสินได้")
    try:
        reject(draft.pk, request.user, request.POST.get("reason", ""))
    except DraftRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "บันทึกว่าไม่รับเอกสารนี้แล้ว ไม่มีการเปลี่ยนแปลงผลการประเมิน")
    return redirect("ingest:detail", pk=draft.pk)
