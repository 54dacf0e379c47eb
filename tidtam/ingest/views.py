"""Review imported documents: list the drafts, read one beside its source, accept or reject.

Anyone signed in sees the drafts of the offices they may read; uploading,
correcting, accepting or rejecting needs the right the document's kind asks
for (kinds.py: for an e-MES sheet, the right to rate that office, because
accepting writes its ratings).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tidtam.accounts.permissions import can_read, org_filter
from tidtam.ingest.drafts import DraftRefused, accept, reject, reread
from tidtam.ingest.edit import EditRefused, apply_edits, edit_form, version
from tidtam.ingest.kinds import available, handler
from tidtam.ingest.models import ImportedSheet, ImportKind, ImportStatus
from tidtam.ingest.sources import ImportRejected, SourceError, decode_text
from tidtam.limits import import_too_large
from tidtam.orgs.models import OrgUnit


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
        "kinds": [(h.kind, ImportKind(h.kind).label) for h in available()],
    })


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Read an uploaded text file into a draft (the web twin of ``tidtam import``)."""
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "กรุณาเลือกไฟล์ข้อความที่จะนำเข้า")
        return redirect("ingest:list")
    too_large = import_too_large(upload.size or 0, upload.name or "ไฟล์")
    if too_large is not None:
        messages.error(request, too_large.message)
        return redirect("ingest:list")
    org = None
    code = request.POST.get("org", "").strip()
    if code:
        org = OrgUnit.objects.filter(code=code).first()
        if org is None:
            messages.error(request, f"ไม่พบหน่วยงานรหัส '{code}'")
            return redirect("ingest:list")
    kind_code = request.POST.get("kind", ImportKind.EMES_SHEET)
    if kind_code not in {h.kind for h in available()}:
        messages.error(request, f"ไม่รู้จักประเภทเอกสาร '{kind_code}'")
        return redirect("ingest:list")
    kind = handler(kind_code)
    name = upload.name or "upload.txt"
    if upload.size and upload.size > settings.TIDTAM_IMPORT_INLINE_BYTES:
        # Repairing and reading a long document takes seconds: a worker does it.
        from tidtam.ingest.tasks import read_upload, store_pending

        task = read_upload.enqueue(pending=store_pending(upload.read()), name=name,
                                   kind=kind_code, org=code, user_id=int(request.user.pk or 0))
        messages.info(request, f"กำลังอ่าน {name} เป็นงานเบื้องหลัง เมื่อเสร็จจะเปิดร่างให้")
        return redirect("analytics:job", pk=task.id)
    try:
        raw = decode_text(upload.read(), name)
        parsed = kind.parse(raw, name, org)
    except SourceError as exc:
        messages.error(request, str(exc))
        return redirect("ingest:list")
    except ImportRejected as exc:
        messages.error(request, exc.report())
        return redirect("ingest:list")
    if not kind.may_decide(request.user, parsed.org):
        # A draft is work for its decider: only those who may accept it may start one.
        messages.error(request, (
            f"นำเข้า{ImportKind(kind.kind).label}ของ{parsed.org.display_name}ไม่ได้: "
            f"ต้องเป็น{kind.decider}"
        ))
        return redirect("ingest:list")
    draft = kind.create_draft(parsed, raw, request.user)
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
    kind = handler(draft.kind)
    context = kind.body_context(draft)
    context.update({
        "draft": draft, "kind": kind,
        "may_decide": draft.is_draft and kind.may_decide(request.user, draft.org),
        "source_lines": draft.numbered_lines(),
    })
    return render(request, "ingest/detail.html", context)


@login_required
@require_POST
def draft_accept(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft_for(request, pk)
    kind = handler(draft.kind)
    if not kind.may_decide(request.user, draft.org):
        raise PermissionDenied(f"ต้องเป็น{kind.decider}จึงรับเข้าได้")
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
    kind = handler(draft.kind)
    if not kind.may_decide(request.user, draft.org):
        raise PermissionDenied(f"ต้องเป็น{kind.decider}จึงตัดสินได้")
    try:
        reject(draft.pk, request.user, request.POST.get("reason", ""))
    except DraftRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "บันทึกว่าไม่รับเอกสารนี้แล้ว ไม่มีการเปลี่ยนแปลงข้อมูลของหน่วยงาน")
    return redirect("ingest:detail", pk=draft.pk)


@login_required
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an e-MES draft's levels, figures and recommendations before accepting."""
    draft = _draft_for(request, pk)
    kind = handler(draft.kind)
    if draft.kind != ImportKind.EMES_SHEET or not draft.is_draft:
        raise Http404("ร่างนี้แก้ไขไม่ได้")
    if not kind.may_decide(request.user, draft.org):
        raise PermissionDenied(f"ต้องเป็น{kind.decider}จึงแก้ไขร่างได้")
    posted: dict[str, str] | None = None
    errors: list[str] = []
    seen = version(draft)
    if request.method == "POST":
        posted = {k: str(v) for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            changed = apply_edits(draft.pk, posted, request.POST.get("version", ""),
                                  request.user)
        except EditRefused as exc:
            errors = exc.errors
            draft.refresh_from_db()
        else:
            messages.success(request, f"บันทึกการแก้ไขแล้ว {changed} รายการ" if changed
                             else "ไม่มีรายการที่เปลี่ยน")
            return redirect("ingest:detail", pk=draft.pk)
    form = edit_form(draft, posted)
    return render(request, "ingest/edit.html", {
        "draft": draft, "form": form, "errors": errors,
        # After a refused save the form keeps what was typed; the version is the
        # one it was typed against, so a concurrent edit is caught again.
        "version": request.POST.get("version", seen) if errors else seen,
        "source_lines": draft.numbered_lines(),
    }, status=422 if errors else 200)


@login_required
def draft_source(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the source text where extraction garbled it, and read it again."""
    draft = _draft_for(request, pk)
    kind = handler(draft.kind)
    if not draft.is_draft:
        raise Http404("ร่างนี้แก้ไขไม่ได้")
    if not kind.may_decide(request.user, draft.org):
        raise PermissionDenied(f"ต้องเป็น{kind.decider}จึงแก้ข้อความได้")
    text = draft.repaired_text
    errors: list[str] = []
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            fresh = reread(draft.pk, text, request.user)
        except ImportRejected as exc:
            errors = exc.report().split("\n")
        except DraftRefused as exc:
            errors = [str(exc)]
        else:
            messages.success(request, f"อ่านข้อความที่แก้แล้วเป็นร่างเลขที่ {fresh.pk} "
                                      f"(ร่างเลขที่ {draft.pk} เก็บไว้เป็นประวัติ)")
            return redirect("ingest:detail", pk=fresh.pk)
    return render(request, "ingest/source.html", {
        "draft": draft, "kind": kind, "text": text, "errors": errors,
    }, status=422 if errors else 200)
