"""The person's own notifications: the list, marking read, and what they want to receive.

Everything here is the signed-in person's own: another person's notification
is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tidtam.notifications.models import Kind, Notification, Preference


def own(request: HttpRequest) -> QuerySet[Notification]:
    return Notification.objects.filter(user_id=int(request.user.pk or 0), shown=True)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(own(request), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Notification, pk=pk, user=request.user, shown=True)
    if note.read_at is None:
        note.read_at = timezone.now()
        note.save(update_fields=["read_at"])
    go = request.POST.get("go") == "1" and note.url
    if go and url_has_allowed_host_and_scheme(note.url, allowed_hosts={request.get_host()}):
        return redirect(note.url)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    n = own(request).filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, f"ทำเครื่องหมายว่าอ่านแล้ว {n} รายการ")
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        for kind in Kind.values:
            Preference.objects.update_or_create(
                user=request.user, kind=kind,
                defaults={"email": request.POST.get(f"{kind}-email") == "on",
                          "in_app": request.POST.get(f"{kind}-in_app") == "on"})
        messages.success(request, "บันทึกการตั้งค่าการแจ้งเตือนแล้ว")
        return redirect("notifications:preferences")
    rows = [(kind, label, Preference.of(request.user, kind)) for kind, label in Kind.choices]
    return render(request, "notifications/preferences.html", {
        "rows": rows, "has_email": bool(getattr(request.user, "email", "")),
    })
