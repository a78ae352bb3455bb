"""The site's URLs plus one view that fails, to exercise the real server-error path."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from practice.urls import handler500
from practice.urls import urlpatterns as site_urlpatterns


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a view")


urlpatterns = [path("boom/", boom), *site_urlpatterns]
__all__ = ["handler500", "urlpatterns"]
