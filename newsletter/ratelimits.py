"""The sign-up's rate limits (``conf.RATE_LIMITS``), per client address and per email address.

Counted with allauth's rate limiter (the same cache and client address as sign-in), so the
site has one implementation of "too many".
"""

from allauth.core.internal import ratelimit
from django.http import HttpRequest

from newsletter import conf

APP = "newsletter"


def place_allows(request: HttpRequest, *, action: str) -> bool:
    """Count one try from this client address; False when it has tried too often."""
    return ratelimit.consume(request, app=APP, action=action, config=conf.RATE_LIMITS) is not None


def address_allows(request: HttpRequest, *, action: str, email: str) -> bool:
    """Count one email to ``email``; False when it has been sent too many (send nothing then)."""
    usage = ratelimit.consume(
        request,
        app=APP,
        action=f"{action}_address",
        config=conf.RATE_LIMITS,
        key=email.strip().lower(),
    )
    return usage is not None
