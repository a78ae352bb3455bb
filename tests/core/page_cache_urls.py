"""Public views that each do one thing a cached page must not do (tests/core/test_page_cache.py)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import Context, Template
from django.urls import include, path

from practice.core.page_cache import public_page

#: How many times each view ran: a page served from the store does not run its view.
calls: dict[str, int] = {}

PAGE = Template("<!DOCTYPE html><html lang=en><title>t</title><p>{{ text }}</p></html>")


def _page(name: str, text: str = "") -> HttpResponse:
    calls[name] = calls.get(name, 0) + 1
    return HttpResponse(PAGE.render(Context({"text": text})))


@public_page
def plain(request: HttpRequest) -> HttpResponse:
    return _page("plain", "Same for everyone")


@public_page
def with_csrf_token(request: HttpRequest) -> HttpResponse:
    return _page("csrf", get_token(request))


@public_page
def with_nonce(request: HttpRequest) -> HttpResponse:
    return _page("nonce", str(request.csp_nonce))  # type: ignore[attr-defined]


@public_page
def with_message(request: HttpRequest) -> HttpResponse:
    calls["message"] = calls.get("message", 0) + 1
    messages.success(request, "Thanks, you are signed up")
    return render(request, "site/privacy.html")


@public_page
def with_cookie(request: HttpRequest) -> HttpResponse:
    response = _page("cookie", "Remembered")
    response.set_cookie("seen_banner", "1")
    return response


@public_page
def not_found(request: HttpRequest) -> HttpResponse:
    calls["not_found"] = calls.get("not_found", 0) + 1
    return HttpResponse("gone", status=404)


def unmarked(request: HttpRequest) -> HttpResponse:
    return _page("unmarked", "Not public")


urlpatterns = [
    path("plain/", plain),
    path("csrf/", with_csrf_token),
    path("nonce/", with_nonce),
    path("message/", with_message),
    path("cookie/", with_cookie),
    path("not-found/", not_found),
    path("unmarked/", unmarked),
    path("", include("practice.urls")),
]
