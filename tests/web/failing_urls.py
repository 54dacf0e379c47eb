"""tidtam's URLs plus two views that fail, to see the 400 and 500 pages."""

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.urls import path

from tidtam.urls import handler400, handler403, handler404, handler500
from tidtam.urls import urlpatterns as site


def bad_request(request: HttpRequest) -> HttpResponse:
    raise BadRequest("malformed request")


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret detail")


urlpatterns = [
    path("test-errors/bad-request/", bad_request),
    path("test-errors/boom/", boom),
    *site,
]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
