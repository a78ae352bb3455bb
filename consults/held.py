"""The signed link in the email to an address that asked for a second consult.

When a request comes from an address with an upcoming consult, the booking is held
(``consults.services``) and the address is offered the choice: take the new time instead of
her consult, or keep hers and free the new one (``consults.held_changes``). The link names the
held booking; like every emailed link it leaves the address bar once opened
(``consults.held_views``).
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from consults.models import Booking

_SALT = "consults.booking.held"
#: An offer is good for as long as a manage link (longer than the booking horizon).
HELD_MAX_AGE = timedelta(days=120)


def held_token(*, booking_id: int) -> str:
    """The token of the offer link about one held booking."""
    return signing.dumps({"h": booking_id}, salt=_SALT, compress=False)


def held_token_read(token: str) -> int | None:
    """The held booking's id of a genuine token at most ``HELD_MAX_AGE`` old, else None."""
    if not isinstance(token, str) or len(token) > 500:
        return None
    try:
        data = signing.loads(token, salt=_SALT, max_age=HELD_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    booking_id = data.get("h") if isinstance(data, dict) else None
    return booking_id if isinstance(booking_id, int) else None


def held_offer_url(booking: Booking) -> str:
    """The absolute link of the offer about ``booking`` (a held one)."""
    token = held_token(booking_id=booking.pk)
    return settings.SITE_URL + reverse("consults:held_link", args=[token])
