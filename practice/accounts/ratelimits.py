"""allauth's ``login_failed`` rate limit, split into its two parts so each can be applied apart.

``ACCOUNT_RATE_LIMITS["login_failed"]`` holds a per-place part (``/ip``: how many wrong
passwords one internet address may try) and a per-account part (``/key``: how many wrong
passwords any place may try for one address). See ``AccountAdapter.authenticate`` for how
the per-account part is applied.
"""

import math
import time
from dataclasses import dataclass

from allauth.account import app_settings
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.http import HttpRequest

APP = "allauth.account"
ACTION = "login_failed"


def _config(per: str) -> dict[str, str]:
    rates = (app_settings.RATE_LIMITS.get(ACTION) or "").split(",")
    chosen = [rate.strip() for rate in rates if rate.strip()]
    return {ACTION: ",".join(r for r in chosen if ratelimit.parse_rate(r).per == per)}


@dataclass
class LoginFailedUsage:
    """One try counted against both parts; ``account_paused`` if the per-account part is full."""

    usage: list[ratelimit.SingleRateLimitUsage]
    account_paused: bool

    def rollback(self) -> None:
        for single in self.usage:
            single.rollback()


def login_failed_consume(request: HttpRequest, *, key: str) -> LoginFailedUsage | None:
    """Count a sign-in try; None if this place has tried too often (then nothing is counted)."""
    per_place = ratelimit.consume(request, app=APP, action=ACTION, config=_config("ip"), key=key)
    if per_place is None:
        return None
    per_account = ratelimit.consume(request, app=APP, action=ACTION, config=_config("key"), key=key)
    usage = per_place.usage + (per_account.usage if per_account is not None else [])
    return LoginFailedUsage(usage=usage, account_paused=per_account is None)


def login_pause_minutes_left(request: HttpRequest, *, key: str) -> int:
    """Whole minutes (at least 1) until both parts of the limit allow another try for ``key``."""
    now = time.time()
    lifts_at = now
    for per in ("ip", "key"):
        for rate in ratelimit.get_rates(app=APP, action=ACTION, config=_config(per)):
            cache_key = ratelimit.get_cache_key(request, app=APP, action=ACTION, rate=rate, key=key)
            history = [ts for ts in cache.get(cache_key, []) if ts > now - rate.duration]
            if len(history) >= rate.amount:  # newest first: the oldest counted try frees a place
                lifts_at = max(lifts_at, history[rate.amount - 1] + rate.duration)
    return max(1, math.ceil((lifts_at - now) / 60))
