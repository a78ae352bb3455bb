"""Request bodies are read as UTF-8 only; one that cannot be read is a 400, never a 500.

Our pages are UTF-8 and browsers send a form back in its page's encoding (HTML Standard,
"constructing the entry list"); JSON is UTF-8 (RFC 8259, section 8.1). So a body declaring
another charset, or a form that is not valid UTF-8, did not come from our pages or a correct
API client: it is refused here rather than stored as mojibake or crashing whatever reads it.

Without this, Django's CSRF middleware reads such a form first and raises LookupError (a
charset such as ``rot13`` names a bytes-to-bytes codec) or BadRequest (a form in UTF-16),
and Django's default 400 handler runs the same CSRF check again, so either way the visitor
got a 500.
"""

import codecs
from collections.abc import Callable
from typing import Any, NoReturn
from urllib.parse import parse_qsl

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict

#: Methods whose body the site reads.
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_URLENCODED = "application/x-www-form-urlencoded"
NOT_UTF8 = "The request body must be UTF-8."


class RequestBodyMiddleware:
    """Refuses a body in another charset than UTF-8, and a form that is not valid UTF-8.

    Must come before ``CsrfViewMiddleware``, which reads the form. Raises ``BadRequest``,
    so Django answers with ``handler400``: the site's 400 page, or the API's error shape on
    API routes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if request.method not in BODY_METHODS:
            return
        charset = (request.content_params or {}).get("charset")
        if charset is not None and not _is_utf8(charset):
            _refuse(request)
        # request.body keeps Django's size limit (DATA_UPLOAD_MAX_MEMORY_SIZE, a 400 too).
        if request.content_type == FORM_URLENCODED and not _is_utf8_form(request.body):
            _refuse(request)


def _refuse(request: HttpRequest) -> NoReturn:
    """Raise ``BadRequest`` with the form set empty, so that nothing that answers it (Django's
    debug page lists the form when DEBUG is on) reads the unreadable body again."""
    request._post, request._files = QueryDict(), MultiValueDict()  # type: ignore[attr-defined]
    raise BadRequest(NOT_UTF8)


def _is_utf8(charset: str) -> bool:
    try:
        return codecs.lookup(charset).name == "utf-8"
    except LookupError:
        return False


def _is_utf8_form(body: bytes) -> bool:
    """Whether the raw body and every %-escaped value in it are valid UTF-8.

    Django falls back to Latin-1 for the first and puts U+FFFD in place of the second.
    """
    try:
        parse_qsl(body.decode(), keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return False
    return True
