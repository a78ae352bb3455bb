"""Whether a staff account has an authenticator app (TOTP).

The two-step middleware asks on every staff request. A user signed in from her session was
read with the answer (``practice.accounts.principal``), fresh from the database on that
request; any other user object (the one just signed in, say) costs one query.
"""

from typing import Any

from allauth.mfa.models import Authenticator

from practice.accounts.principal import HAS_TOTP_ATTR


def has_totp(user: Any) -> bool:
    """True when ``user`` has an authenticator app (TOTP)."""
    known = getattr(user, HAS_TOTP_ATTR, None)
    if known is not None:
        return bool(known)
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
