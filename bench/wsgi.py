"""The WSGI application bench/run.py serves: the site, and a bare Django view beside it.

Django's settings are process-global, so a view "without middleware" cannot come from the
site's handler. Instead one path, BARE_PATH, goes to a second Django handler in the same
process whose middleware stack is empty and whose URLconf holds that one view. Both answer
from the same gunicorn workers, threads and interpreter, so the bare view is the floor that
every page is compared with. Every request, bare or not, pays the one path comparison in
application() below.
"""

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest
from django.urls import ResolverMatch

from bench.bare_urls import BARE_PATH

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
site = get_wsgi_application()  # runs django.setup() before the handler below is built


class BareHandler(WSGIHandler):
    """Django's WSGI handler as it is built when MIDDLEWARE = [] and ROOT_URLCONF is bare_urls.

    Request parsing, the request_started/finished signals (database connection upkeep), URL
    resolution, the view and the response all run as usual; only the middleware is left out.
    """

    def load_middleware(self, is_async: bool = False) -> None:
        # What BaseHandler.load_middleware leaves behind for an empty (synchronous) list.
        self._view_middleware: list[Any] = []
        self._template_response_middleware: list[Any] = []
        self._exception_middleware: list[Any] = []
        view_handler = self._get_response  # type: ignore[attr-defined]  # not in django-stubs
        self._middleware_chain = convert_exception_to_response(view_handler)

    def resolve_request(self, request: HttpRequest) -> ResolverMatch:
        request.urlconf = "bench.bare_urls"  # reset after the response by Django's signal
        return super().resolve_request(request)


bare = BareHandler()
StartResponse = Callable[..., Any]


def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    handler = bare if environ.get("PATH_INFO") == BARE_PATH else site
    return handler(environ, start_response)
