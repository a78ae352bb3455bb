"""Whether a staff account has an authenticator app, remembered in the shared cache.

The two-step middleware asks on every staff request; the answer changes only when an
authenticator is added or removed, so it is kept in the cache (Redis) under the user's id and
forgotten whenever an ``Authenticator`` row is saved or deleted: allauth's set-up and
deactivate pages, the admin, a reset, the shell, and deleting the account all go through
those model signals (``receivers.authenticators_changed``). It is forgotten at once and again
when the transaction commits, so a request that read the old row meanwhile cannot keep it.
"""

from typing import Any

from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.db import transaction

#: Seconds a remembered answer lives even if no change is seen (a raw SQL edit, say).
TOTP_CACHE_SECONDS = 300


def _key(user_id: int) -> str:
    return f"accounts:has-totp:{user_id}"


def has_totp(user: Any) -> bool:
    """True when ``user`` has an authenticator app (TOTP): one cache GET, a query on a miss."""
    key = _key(user.pk)
    known = cache.get(key)
    if known is not None:
        return bool(known)
    found = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    cache.set(key, found, TOTP_CACHE_SECONDS)
    return found


def has_totp_forget(*, user_id: int) -> None:
    """Forget the remembered answer now and once the current transaction commits."""
    key = _key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
