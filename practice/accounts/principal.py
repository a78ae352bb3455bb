"""The signed-in person, read from the database in one statement per request.

Every signed-in request needs her user row; a therapist's pages also need her therapist
profile, and the two-step middleware whether she has an authenticator app (TOTP). As three
ORM lookups they cost about 1.5 ms of CPU on every staff page. Here one SELECT answers all
three (her row, LEFT JOIN her therapist profile, EXISTS her TOTP authenticator), compiled
once per process (``practice.core.compiled``) and read fresh on every request, so a change
to any of them (a deactivated account, a new password, an authenticator removed in the
admin or the shell) counts from the very next request, as before.
"""

from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, QuerySet

from practice.accounts.models import User
from practice.core.compiled import CompiledSelect

#: Set on a user read here: whether she has an authenticator app.
HAS_TOTP_ATTR = "principal_has_totp"


def _principal_query(user_id: Any) -> QuerySet[User]:
    totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return (
        User._default_manager.filter(pk=user_id)
        .select_related("therapist_profile")
        .annotate(**{HAS_TOTP_ATTR: Exists(totp)})
    )


_principal = CompiledSelect(User, _principal_query)


def principal_get(*, user_id: int) -> User | None:
    """Her user row, with her therapist profile (or the knowledge she has none) and
    ``principal_has_totp`` set; None if there is no such user."""
    found = _principal.run(user_id)
    return found[0] if found else None
