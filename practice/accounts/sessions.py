"""Sessions in the database, read in one statement with the person signed in on them.

``SESSION_ENGINE``. Django's database store, on ``practice.accounts.models.Session``: the
row also holds the id of the account its data names (written on every save), so reading a
session reads her row, her therapist profile and whether she has an authenticator app in
the same statement (``practice.accounts.principal``). Each signed-in request then makes one
round trip for all of it, where a session in Redis and the person in PostgreSQL made two;
sessions were already written through to the database, so writes cost what they did. The
same on PostgreSQL and on SQLite (``make run``).

The signed session data stays the authority on who is signed in: the row's user is used
only for the id the data names (``signed_in_user``), and Django's checks (the backend, the
password hash) run on it as on any user.

Expired rows are deleted every day by ``sessions_clear_expired`` (Celery beat's
``sessions-clear-expired`` entry; ``manage.py clearsessions`` does the same).
"""

import logging
from typing import Any, cast

from asgiref.sync import sync_to_async
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.db.models import QuerySet
from django.utils import timezone

from practice.accounts.models import Session, User
from practice.accounts.principal import HAS_TOTP_ATTR, has_totp_exists, principal_id
from practice.core.compiled import CompiledSelect

logger = logging.getLogger(__name__)

#: Rows one DELETE removes at most: each batch is a short transaction of its own, so
#: sign-ins and saves never wait long behind the clean-up.
CLEAR_BATCH_SIZE = 1000


def _with_principal(session_key: str) -> QuerySet[Session]:
    return (
        Session.objects.filter(session_key=session_key)
        .select_related("user__therapist_profile")
        .annotate(**{HAS_TOTP_ATTR: has_totp_exists("user_id")})
    )


_session_with_principal = CompiledSelect(Session, _with_principal, marker="~session key~")


class SessionStore(db.SessionStore):
    """Django's database session store, reading the signed-in person with the session."""

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._user: User | None = None

    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def _get_session_from_db(self) -> Session | None:
        found = _session_with_principal.run(self.session_key)
        if not found or found[0].expire_date <= timezone.now():  # expired: as Django's filter
            self._session_key = None
            return None
        session = found[0]
        user = session.user
        if user is not None:
            setattr(user, HAS_TOTP_ATTR, getattr(session, HAS_TOTP_ATTR))
        self._user = user
        return session

    def signed_in_user(self) -> User | None:
        """The user the session's data names, as read with it (her therapist profile and
        ``principal_has_totp`` too), or None: a visitor's session, or a row whose user is
        not the one its data names. Loads the session if it is not loaded yet."""
        user_id = principal_id(self.get(SESSION_KEY))
        user = self._user
        return user if user is not None and user_id == user.pk else None

    @classmethod
    def clear_expired(cls) -> None:
        """``manage.py clearsessions``: as the daily task, in bounded batches."""
        sessions_clear_expired()

    @classmethod
    async def aclear_expired(cls) -> None:
        await sync_to_async(sessions_clear_expired)()

    def create_model_instance(self, data: dict[str, Any]) -> Session:
        session = cast(Session, super().create_model_instance(data))
        session.user_id = principal_id(data.get(SESSION_KEY))
        return session

    async def acreate_model_instance(self, data: dict[str, Any]) -> Session:
        """As ``create_model_instance``, for ``asave`` (``alogin``, ``acycle_key``)."""
        session = cast(Session, await super().acreate_model_instance(data))
        session.user_id = principal_id(data.get(SESSION_KEY))
        return session


def sessions_clear_expired(*, batch_size: int = CLEAR_BATCH_SIZE) -> int:
    """Delete the sessions whose ``expire_date`` has passed; returns how many were deleted.

    The rows (and the signed data in them) would otherwise stay for ever: Django deletes a
    row only at sign-out. Deletes at most ``batch_size`` rows per statement, each statement
    committed on its own (on the ``expire_date`` index), until a batch comes back short;
    rows expiring meanwhile wait for the next run, so a run always ends. Idempotent: a
    second run finds nothing. A session expired at the moment of the run counts as expired,
    as the store reading it says (``expire_date <= now``). Logs the count at INFO.
    """
    now = timezone.now()
    expired = Session.objects.filter(expire_date__lte=now)
    deleted = 0
    while True:
        batch = expired.filter(pk__in=expired.values("pk")[:batch_size])
        count, _ = batch.delete()
        deleted += count
        if count < batch_size:
            break
    logger.info("Deleted %d expired sessions.", deleted)
    return deleted
