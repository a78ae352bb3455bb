"""The rate limit on booking a consult, shared by the page and the API.

Counted per client address (``practice.core.client_address.rate_limit_key``: an IPv6
client per /64) in the shared cache: every
booking attempt counts, successful or not, so a script cannot try slot after slot.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from practice.core.client_address import rate_limit_key

#: Attempts per address per window, and the window in seconds (settings may override).
DEFAULT_ATTEMPTS = 10
DEFAULT_WINDOW = 60 * 60


def booking_attempt_allowed(request: HttpRequest) -> bool:
    """Count one booking attempt from this request's address; False once over the limit."""
    attempts = getattr(settings, "CONSULT_BOOKING_ATTEMPTS", DEFAULT_ATTEMPTS)
    window = getattr(settings, "CONSULT_BOOKING_WINDOW", DEFAULT_WINDOW)
    key = f"consults:booking-attempts:{rate_limit_key(request) or 'unknown'}"
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)
        return True
    return count <= attempts
