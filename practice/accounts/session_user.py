"""Django's ``AuthenticationMiddleware``, signing out a session that names no possible account.

Django reads the user id a session holds with the primary key's ``to_python`` before any
backend sees it, and lets its ``ValidationError`` through: a session whose id is not an
integer (a corrupt or hand-made session, data from another project sharing the store) made
every page a 500. Here such a session is flushed, as signing out does, and the request goes
on as an anonymous visitor's. An id that is an integer but names nobody (an account
deleted) was already signed out by the backends (``practice.accounts.backends``).

The person read with the session (``practice.accounts.sessions``) is handed to the backends
(``principal_known``), so Django's checks run on her without reading her again.
"""

from functools import partial
from typing import Any

from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoMiddleware
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from practice.accounts.principal import principal_known


class AuthenticationMiddleware(DjangoMiddleware):
    """Django's ``request.user`` and ``request.auser()``, anonymous for an unusable id."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # Django's checks (a session middleware before it)
        request.user = SimpleLazyObject(lambda: _user(request))  # type: ignore[assignment]
        request.auser = partial(_auser, request)


def _user(request: HttpRequest) -> Any:
    cached = getattr(request, "_cached_user", None)
    if cached is None:
        read_with_session = getattr(request.session, "signed_in_user", None)
        try:
            with principal_known(read_with_session() if read_with_session else None):
                cached = auth.get_user(request)
        except ValidationError:  # the session's user id is not an id at all
            request.session.flush()
            cached = AnonymousUser()
        request._cached_user = cached  # type: ignore[attr-defined]
    return cached


async def _auser(request: HttpRequest) -> Any:
    cached = getattr(request, "_acached_user", None)
    if cached is None:
        try:
            cached = await auth.aget_user(request)
        except ValidationError:
            await request.session.aflush()
            cached = AnonymousUser()
        request._acached_user = cached  # type: ignore[attr-defined]
    return cached
