"""Whole signed-in pages kept in this process, for the few a therapist reloads all day.

A page such as her patients list costs many times a bare view to render, and changes only
when its data does. ``render_kept`` keeps its HTML under the caller's ``key``, which must
change with everything the page's own content shows (the caller reads it fresh on every
view, e.g. a version in one query), together with everything the site's layout
(``base.html``: header, footer) shows besides: the signed-in person's id, name and role,
the practice profile, the active time zone, the URLconf, script prefix and full path. What
differs between two answers of one page is never kept:

* the CSRF token: the page is rendered with a marker in its place, and each answer gets a
  token of its own request (``get_token``, which also sets the CSRF cookie as usual);
* notices (``django.contrib.messages``): a request with notices to show is rendered in full
  and not kept, since showing them uses them up.

The store is bounded (``MAX_BYTES`` of HTML as Python holds it, least recently used out
first: a page with one name outside Latin-1 takes 2 or 4 bytes a character) and holds one
page per ``owner`` (keeping a new one drops the older ones). An owner's pages are only
ever served to requests that give the same key, which holds her id: nobody is served
someone else's page. With ``DEBUG`` on nothing is kept, so edited templates show at once.
"""

import secrets
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone

from practice.core.models import PracticeProfile
from practice.core.selectors import practice_profile

#: The most the store holds, in bytes of memory of its pages' HTML (``sys.getsizeof``; a
#: 200-patient list is about 60,000 characters).
MAX_BYTES = 32 * 1024 * 1024

#: Stands for the CSRF token in a kept page: random per process, so no content can hold it.
CSRF_MARKER = f"kept-csrf-{secrets.token_hex(16)}"


@dataclass(frozen=True)
class KeptPage:
    """A page's HTML with ``CSRF_MARKER`` for the token."""

    html: str


class KeptPages:
    """A thread-safe LRU of pages by (owner, key), bounded by ``max_bytes``."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple[Hashable, Hashable], KeptPage] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, owner: Hashable, key: Hashable) -> KeptPage | None:
        with self._lock:
            page = self._pages.get((owner, key))
            if page is not None:
                self._pages.move_to_end((owner, key))
            return page

    def put(self, owner: Hashable, key: Hashable, page: KeptPage) -> None:
        size = sys.getsizeof(page.html)
        if size > self.max_bytes:
            return
        with self._lock:
            for old in [k for k in self._pages if k[0] == owner]:  # her older pages
                self._size -= sys.getsizeof(self._pages.pop(old).html)
            self._pages[(owner, key)] = page
            self._size += size
            while self._size > self.max_bytes:
                _, dropped = self._pages.popitem(last=False)
                self._size -= sys.getsizeof(dropped.html)

    def __len__(self) -> int:
        return len(self._pages)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._size = 0


store = KeptPages()


def render_kept(
    request: HttpRequest,
    template_name: str,
    build: Callable[[], dict[str, Any]],
    *,
    owner: Hashable,
    key: Hashable | None,
) -> HttpResponse:
    """``render(request, template_name, build())``, from the store when kept.

    ``build()`` returns the page's context; it is called only when the page is rendered.
    ``key`` None: rendered every time, not kept.
    """
    full_key = None
    if key is not None and not settings.DEBUG and not messages.get_messages(request):
        full_key = (template_name, key, _layout_key(request))
        page = store.get(owner, full_key)
        if page is not None:
            return _answer(request, page.html)
    context = build()
    if full_key is None:
        return render(request, template_name, context)
    response = render(request, template_name, {**context, "csrf_token": CSRF_MARKER})
    html = response.content.decode(response.charset)
    store.put(owner, full_key, KeptPage(html=html))
    return _answer(request, html)


def _answer(request: HttpRequest, html: str) -> HttpResponse:
    return HttpResponse(html.replace(CSRF_MARKER, get_token(request)))


def _layout_key(request: HttpRequest) -> tuple[Hashable, ...]:
    """What the layout shows besides the page's content, and the address it was made for."""
    user: Any = request.user
    profile = practice_profile()
    return (
        user.pk,
        user.get_short_name() if user.is_authenticated else "",
        getattr(user, "role", ""),
        tuple(getattr(profile, field.attname) for field in PracticeProfile._meta.concrete_fields),
        timezone.get_current_timezone_name(),
        str(get_urlconf() or settings.ROOT_URLCONF),
        get_script_prefix(),
        request.get_full_path(),
    )
