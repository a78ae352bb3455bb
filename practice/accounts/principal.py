"""The signed-in person, read from the database once per request.

Every signed-in request needs her user row; a therapist's pages also need her therapist
profile, and the two-step middleware whether she has an authenticator app (TOTP). As three
ORM lookups they cost about 1.5 ms of CPU on every staff page. Here one SELECT answers all
three (her row, LEFT JOIN her therapist profile, EXISTS her TOTP authenticator), compiled
once per process (``practice.core.compiled``) and read fresh on every request, so a change
to any of them (a deactivated account, a new password, an authenticator removed in the
admin or the shell) counts from the very next request, as before.

The session store (``practice.accounts.sessions``) reads the same columns in the statement
that reads the session; ``principal_known`` hands that user to ``principal_get`` for the
rest of the sign-in check, so a signed-in request makes one statement for both.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet

from practice.accounts.models import User
from practice.core.compiled import CompiledSelect

#: Set on a user read here: whether she has an authenticator app.
HAS_TOTP_ATTR = "principal_has_totp"

#: The user the request's session was read with, if any (see ``principal_known``).
_known: ContextVar[User | None] = ContextVar("principal_known", default=None)


def has_totp_exists(user_ref: str) -> Exists:
    """EXISTS a TOTP authenticator of the user whose id is the outer query's ``user_ref``."""
    return Exists(
        Authenticator.objects.filter(user=OuterRef(user_ref), type=Authenticator.Type.TOTP)
    )


def principal_id(value: Any) -> int | None:
    """The user id a session holds as the primary key takes it, or None for a value that
    names no possible account: not an integer, or outside the column's range (SQLite, under
    ``make run``, raised ``OverflowError`` on such a parameter: a 500)."""
    pk = User._meta.pk
    try:
        user_id = pk.to_python(value)
        pk.run_validators(user_id)
    except ValidationError:
        return None
    return user_id if isinstance(user_id, int) else None


def _principal_query(user_id: Any) -> QuerySet[User]:
    return (
        User._default_manager.filter(pk=user_id)
        .select_related("therapist_profile")
        .annotate(**{HAS_TOTP_ATTR: has_totp_exists("pk")})
    )


_principal = CompiledSelect(User, _principal_query)


@contextmanager
def principal_known(user: User | None) -> Iterator[None]:
    """Within the block, ``principal_get`` answers ``user``'s id with ``user`` (read in this
    request with her profile and ``principal_has_totp``) instead of reading her again."""
    token = _known.set(user)
    try:
        yield
    finally:
        _known.reset(token)


def principal_get(*, user_id: int) -> User | None:
    """Her user row, with her therapist profile (or the knowledge she has none) and
    ``principal_has_totp`` set; None if there is no such user."""
    known = _known.get()
    if known is not None and known.pk == user_id:
        return known
    found = _principal.run(user_id)
    return found[0] if found else None
