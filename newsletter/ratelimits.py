"""The sign-up's rate limits (``conf.RATE_LIMITS``), per client address and per email address.

Per client address: allauth's limiter (the site's one client address and cache, like
sign-in), checked in the view, answered 429. Per email address: counted in the Celery task
that processes the sign-up, so neither the answer nor its timing shows whether an address
was refused; those counts use fixed windows (a burst across a window's edge may reach twice
the rate, never more).
"""

import hashlib
import time

from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.http import HttpRequest

from newsletter import conf

APP = "newsletter"


def place_allows(request: HttpRequest, *, action: str) -> bool:
    """Count one try from this client address; False when it has tried too often."""
    return ratelimit.consume(request, app=APP, action=action, config=conf.RATE_LIMITS) is not None


def address_allows(*, action: str, email: str) -> bool:
    """Count one email to ``email`` for ``action``; False when it has had too many (send none)."""
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    allowed = True
    for rate in ratelimit.parse_rates(conf.RATE_LIMITS[f"{action}_address"]):
        window = int(time.time() // rate.duration)
        key = f"{APP}:rl:{action}:{rate.amount}/{rate.duration}:{digest}:{window}"
        cache.add(key, 0, timeout=int(rate.duration) + 1)
        if cache.incr(key) > rate.amount:
            allowed = False
    return allowed
