"""API authentication: tokens are for patients; staff use a session that passed two-factor."""

from typing import Any

from rest_framework import authentication, exceptions


class PatientTokenAuthentication(authentication.TokenAuthentication):
    """A token cannot carry a second factor, so staff tokens would bypass two-factor login."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        user, token = super().authenticate_credentials(key)
        if user.is_staff:
            raise exceptions.AuthenticationFailed(
                "Staff accounts use the API through a two-factor login session, not a token."
            )
        return user, token
