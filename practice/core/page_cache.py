"""Whole-page cache for the public pages anonymous visitors read (home, articles, exercises...).

How it works (the measurements behind it are in docs/architecture.md, "Page cache"):

* A view marked with :func:`public_page` may be cached. ``PublicPageCacheMiddleware`` sits
  first (after the health check), before the security, session, CSRF, authentication,
  messages and CSP middleware, so a hit skips them all. Only a ``GET`` without a session or
  messages cookie and without ``Authorization`` is looked up: a signed-in visitor, or one
  with a notice waiting, always gets a fresh page.
* Pages are held in this process (:class:`PageStore`): least recently used out first, at most
  ``PAGE_CACHE_MAX_BYTES`` of pages and headers, none older than ``PAGE_CACHE_MAX_AGE``
  seconds.
* Every process compares a version number in the shared cache (Redis) with the one it knows,
  at most once every ``PAGE_CACHE_CHECK_SECONDS``. :func:`public_pages_changed` sets a new
  version when the transaction that changed public content commits; each process drops its
  pages when it sees the new version. A change therefore shows everywhere within about
  ``PAGE_CACHE_CHECK_SECONDS`` (1 s), and at once in the process that made it.
* A response is stored only if it is a 200 from a public view, sets no cookie, used neither
  the CSRF token, a message nor a CSP nonce, and varies on nothing but the cookie. A cached
  page's Content-Security-Policy therefore carries no nonce: scripts come from ``'self'``
  static files only.
* If the shared cache cannot be read, nothing is served from the store until it can.
"""

import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase

from practice.core.models import local_copy

logger = logging.getLogger(__name__)

VERSION_KEY = "core:public_pages_version"
#: Marks a response as coming from a view decorated with public_page.
PUBLIC_PAGE_ATTR = "_public_page"
#: Response header saying the page came from the store ("hit") or was just stored ("stored").
STATUS_HEADER = "X-Page-Cache"
#: A page bigger than this is never stored (bytes).
PAGE_MAX_BYTES = 1024 * 1024
#: Longer paths (with their query) are not cached: they are probes, not readers.
KEY_MAX_CHARS = 1024
#: What a stored page costs beyond its body and headers (objects, the key), in bytes.
ENTRY_OVERHEAD_BYTES = 400
#: Vary headers a stored page may name: every request served from the store has no session.
ALLOWED_VARY = frozenset({"cookie"})

T = TypeVar("T")
View = Callable[..., HttpResponseBase]


def public_page(view: View) -> View:
    """Mark a view's pages as cacheable for anonymous visitors.

    The page must be the same for every anonymous visitor of its URL (query string included)
    and must not use the CSRF token, messages, a CSP nonce or set a cookie; a response that
    does is served but never stored. Works on function views and on ``View.as_view()``.
    """

    @wraps(view)
    def marked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        setattr(response, PUBLIC_PAGE_ATTR, True)
        return response

    return marked


def public_pages_changed() -> None:
    """Say that content shown on public pages changed: call it from every service that
    publishes, edits, unpublishes or deletes such content, inside its transaction.

    This process drops its pages at once; when the transaction commits, a new version is
    written to the shared cache and every other process drops its pages within
    ``PAGE_CACHE_CHECK_SECONDS``. Outside a transaction the version changes at once.
    """
    store.clear()
    transaction.on_commit(_version_bump, robust=True)


def public_data(name: str, compute: Callable[[], T]) -> T:
    """A value that public pages show (e.g. the listed therapists), computed once per process
    and kept until public content changes (the same version as the pages).

    ``compute`` must return something safe to share between threads and requests (a list of
    model instances with what the templates use already fetched, not a lazy queryset).
    """
    store.refresh()
    return store.data(name, compute)


def _version_bump() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)
    store.clear()


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes
    stored_at: float  # time.monotonic()
    size: int  # bytes counted against PAGE_CACHE_MAX_BYTES

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        response.headers[STATUS_HEADER] = "hit"
        return response


class PageStore:
    """This process's pages (LRU, bounded in bytes) and public data, and the version they
    belong to. Shared by the process's threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pages: OrderedDict[str, CachedPage] = OrderedDict()
        self._data: dict[str, Any] = {}
        self._bytes = 0
        #: Bumped on every clear: a page rendered before a clear is not stored after it.
        self.generation = 0
        self._version: str | None = None
        self._checked_at = -float("inf")
        self._healthy = False

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._pages)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._data.clear()
            self._bytes = 0
            self.generation += 1

    def reset(self) -> None:
        """Forget the pages and the version, as in a new process (for tests)."""
        self.clear()
        with self._lock:
            self._version = None
            self._checked_at = -float("inf")
            self._healthy = False

    def refresh(self) -> bool:
        """Compare the shared version with ours if ``PAGE_CACHE_CHECK_SECONDS`` have passed;
        drop everything if it changed. Returns whether the store may be used."""
        now = time.monotonic()
        with self._lock:
            if now - self._checked_at < settings.PAGE_CACHE_CHECK_SECONDS:
                return self._healthy
            self._checked_at = now  # the other threads go on with what we have meanwhile
        try:
            version = cache.get(VERSION_KEY)
        except Exception:
            logger.warning("Page cache: the shared version cannot be read", exc_info=True)
            self.clear()
            self._healthy = False
            return False
        if version != self._version or not self._healthy:
            self.clear()
            # The practice profile is on every page and each process keeps it for a few
            # seconds: pages rendered after a change must not show the old one.
            local_copy.clear()
            self._version = version
        self._healthy = True
        return True

    def get(self, key: str) -> CachedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                return None
            if time.monotonic() - page.stored_at > settings.PAGE_CACHE_MAX_AGE:
                self._drop(key)
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: CachedPage, *, generation: int) -> bool:
        """Store ``page`` unless the store was cleared since ``generation`` was read (the page
        may show content from before the change) or the page alone exceeds the bounds."""
        limit = settings.PAGE_CACHE_MAX_BYTES
        if page.size > min(limit, PAGE_MAX_BYTES):
            return False
        with self._lock:
            if generation != self.generation:
                return False
            if key in self._pages:
                self._drop(key)
            while self._pages and self._bytes + page.size > limit:
                self._drop(next(iter(self._pages)))
            self._pages[key] = page
            self._bytes += page.size
            return True

    def data(self, name: str, compute: Callable[[], T]) -> T:
        with self._lock:
            if name in self._data:
                return self._data[name]
            generation = self.generation
        value = compute()
        with self._lock:
            if generation == self.generation:
                self._data[name] = value
        return value

    def _drop(self, key: str) -> None:
        page = self._pages.pop(key)
        self._bytes -= page.size


store = PageStore()


class PublicPageCacheMiddleware:
    """Serve and store public pages for anonymous visitors (see the module docstring).

    Goes first (after the health check): before the security middleware (its headers are
    stored with the page), WhiteNoise, and the session, CSRF, auth, messages and CSP ones.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = _candidate_key(request)
        if key is None or not store.refresh():
            return self.get_response(request)
        page = store.get(key)
        if page is not None:
            return page.response()
        generation = store.generation
        response = self.get_response(request)
        if _storable(request, response):
            assert isinstance(response, HttpResponse)
            stored = store.put(key, _page_of(key, response), generation=generation)
            if stored:
                response.headers[STATUS_HEADER] = "stored"
        return response


def _candidate_key(request: HttpRequest) -> str | None:
    """The store's key for this request, or None when it must not be served from the store."""
    if request.method != "GET" or not settings.PAGE_CACHE_ENABLED:
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None
    if "HTTP_AUTHORIZATION" in request.META:
        return None
    path = request.get_full_path()
    if len(path) > KEY_MAX_CHARS:
        return None
    return f"{request.scheme}://{request.META.get('HTTP_HOST', '')}{path}"


def _storable(request: HttpRequest, response: HttpResponseBase) -> bool:
    if not getattr(response, PUBLIC_PAGE_ATTR, False) or response.status_code != 200:
        return False
    if not isinstance(response, HttpResponse) or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a CSRF token
    if getattr(request, "_csp_nonce", None) is not None:
        return False
    if "nonce-" in response.headers.get("Content-Security-Policy", ""):
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    cache_control = response.headers.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control or "no-cache" in cache_control:
        return False
    vary = {part.strip().lower() for part in response.headers.get("Vary", "").split(",")}
    return vary - {""} <= ALLOWED_VARY


def _page_of(key: str, response: HttpResponse) -> CachedPage:
    headers = tuple((name, value) for name, value in response.headers.items())
    content = response.content
    size = (
        len(content)
        + sum(len(name) + len(value) for name, value in headers)
        + len(key)
        + ENTRY_OVERHEAD_BYTES
    )
    return CachedPage(response.status_code, headers, content, time.monotonic(), size)
