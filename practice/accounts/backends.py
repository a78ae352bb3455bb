"""The sign-in backends, reading the signed-in person of each request in one statement.

Django's and allauth's backends, unchanged but for ``get_user``: the user a session names
is read by ``principal_get`` (her row, her therapist profile, whether she has an
authenticator app) and refused, as before, when ``user_can_authenticate`` says no. An id
outside the column's range names nobody and is not sent to the database (the ORM's lookups
skip it too; SQLite, under ``make run``, raised ``OverflowError`` on it: a 500).
"""

from typing import Any

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends

from practice.accounts.models import User
from practice.accounts.principal import principal_get, principal_id


class _PrincipalGetUser:
    def get_user(self, user_id: Any) -> User | None:
        user_id = principal_id(user_id)
        if user_id is None:  # not an id at all, or outside the column's range
            return None
        user = principal_get(user_id=user_id)
        if user is None or not self.user_can_authenticate(user):  # type: ignore[attr-defined]
            return None
        return user


class ModelBackend(_PrincipalGetUser, django_backends.ModelBackend):
    """Django's ``ModelBackend`` (email and password through the admin and the shell)."""


class AuthenticationBackend(_PrincipalGetUser, allauth_backends.AuthenticationBackend):
    """allauth's backend (the site's sign-in form)."""
