"""Old addresses that answer with a 301 to where their page lives now (``Redirect`` rows)."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect

from practice.core.models import Redirect

#: Query parameters by which WordPress addresses a post or page without "pretty" links.
WORDPRESS_ID_PARAMETERS = ("p", "page_id")


def redirect_path(url: str) -> str:
    """The part of ``url`` a Redirect matches: its path and query, e.g. ``/?p=12``."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def redirect_save(*, old_url: str, new_path: str, note: str = "") -> Redirect | None:
    """Make ``old_url``'s path answer with a 301 to ``new_path`` (replacing where it pointed
    before). Returns None when the old address is the new one (no loop)."""
    old_path = redirect_path(old_url)
    if old_path.rstrip("/") == new_path.rstrip("/"):
        return None
    redirect, _ = Redirect.objects.update_or_create(
        old_path=old_path, defaults={"new_path": new_path, "note": note[:200]}
    )
    return redirect


class RedirectFallbackMiddleware:
    """A 404 whose path (with or without its query, with or without a trailing slash) was
    an old address answers with a 301 instead. WordPress's ``/?p=12`` is looked up before the
    home page answers it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info == "/" and any(key in request.GET for key in WORDPRESS_ID_PARAMETERS):
            found = _lookup([request.get_full_path()])
            if found:
                return HttpResponsePermanentRedirect(found)
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        path = request.path
        alternative = path[:-1] if path.endswith("/") else path + "/"
        found = _lookup([request.get_full_path(), path, alternative])
        return HttpResponsePermanentRedirect(found) if found else response


def _lookup(paths: list[str]) -> str:
    paths = [path for path in paths if "\x00" not in path]  # none stored; PostgreSQL refuses NUL
    rows = dict(Redirect.objects.filter(old_path__in=paths).values_list("old_path", "new_path"))
    return next((rows[path] for path in paths if path in rows), "")
