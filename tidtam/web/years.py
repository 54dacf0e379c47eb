"""Fiscal years that hold data, for the year switcher on the pages that show one year."""

from __future__ import annotations

from django.http import HttpRequest

from tidtam.evaluation.models import Rating
from tidtam.frameworks.models import Framework
from tidtam.reporting.models import Submission


def years_with_data(org_ids: list[int] | None = None) -> list[int]:
    """BE fiscal years with a submission or a rating (of these offices), newest first.

    The newest year that has a framework is always offered, data or not: it is
    the one people start reporting in.
    """
    subs = Submission.objects.all()
    ratings = Rating.objects.all()
    if org_ids is not None:
        subs, ratings = subs.filter(org_id__in=org_ids), ratings.filter(org_id__in=org_ids)
    years = set(subs.values_list("framework__fiscal_year", flat=True).distinct())
    years |= set(ratings.values_list("framework__fiscal_year", flat=True).distinct())
    latest = Framework.objects.order_by("-fiscal_year").values_list("fiscal_year", flat=True)
    years |= set(latest[:1])
    return sorted(years, reverse=True)


def chosen_year(request: HttpRequest, years: list[int]) -> int | None:
    """The ``?year=`` asked for if it is one of ``years``, else the newest."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and int(raw) in years:
        return int(raw)
    return years[0] if years else None
