"""A block's own address (search results link here): open the form it was written in."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect

from tidtam.accounts.permissions import can_read
from tidtam.narratives.models import Block


def block(request: HttpRequest, pk: int) -> HttpResponse:
    b = get_object_or_404(Block.objects.select_related("org", "node"), pk=pk,
                          deleted_at__isnull=True)
    if not request.user.is_authenticated or not can_read(request.user, b.org):
        raise Http404("ไม่พบข้อความ")
    submission = b.source.get("submission")
    if submission:
        return redirect("reporting:indicator", pk=submission, node=b.node.code)
    from tidtam.reporting.models import Submission

    sub = Submission.objects.filter(org=b.org, framework=b.node.framework).order_by(
        "-framework__fiscal_year").first()
    if sub is not None:
        return redirect("reporting:indicator", pk=sub.pk, node=b.node.code)
    raise Http404("ไม่พบแบบรายงานที่เขียนข้อความนี้")
