"""``/search/?q=…``: one box, results the user may read, ten per page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tidtam.search.models import SourceKind
from tidtam.search.query import QueryRefused, parse_query, results, search

PER_PAGE = 10


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    if kind not in SourceKind.values:
        kind = ""
    context: dict[str, object] = {"query": query, "kind": kind, "kinds": SourceKind.choices}
    if "q" in request.GET:
        try:
            parsed = parse_query(query)
        except QueryRefused as exc:
            context["error"] = str(exc)
        else:
            page = Paginator(search(request.user, parsed, kind), PER_PAGE).get_page(
                request.GET.get("page"))
            context.update(searched=True, page=page, results=results(list(page), parsed))
    return render(request, "search/search.html", context)
