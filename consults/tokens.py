"""Signed tokens in emailed consult links: nothing is stored, a forged or old one opens nothing.

``django.core.signing`` (HMAC-SHA256 with ``SECRET_KEY``, a salt per purpose) signs the ids
and the moment the token was made; readers pass the longest age they accept.

- manage: the visitor's link to reschedule or cancel one booking (no login). It names the
  booking's ``sequence`` when it was sent. Links in earlier emails about the same booking
  keep working (it is the same booking, in the same mailbox): they open the consult as it
  is now, say that it has changed since that email, and what they may still do is decided by
  the booking's state (cancelled, started, within the cut-off). The page's forms carry the
  sequence they showed, so a change is never made on an out-of-date page.
- waitlist: the link in "a time opened up" email, naming the waitlist entry.
- feed: a host's calendar-feed token is random and stored (see ``models.CalendarFeed``),
  because it must be revocable.
"""

from datetime import timedelta
from typing import NamedTuple

from django.core import signing

_MANAGE_SALT = "consults.booking.manage"
_WAITLIST_SALT = "consults.waitlist.offer"

#: A manage link is good for this long after it was sent (longer than the booking horizon).
MANAGE_MAX_AGE = timedelta(days=120)
#: An offer of a freed time is good for this long (the time itself may be taken sooner).
WAITLIST_MAX_AGE = timedelta(days=14)


class ManageLink(NamedTuple):
    """What a manage token names: the booking, and its ``sequence`` when the link was sent
    (None in links sent before the sequence was signed in)."""

    booking_id: int
    sequence: int | None


def manage_token(*, booking_id: int, sequence: int | None = None) -> str:
    """The token of a reschedule/cancel link for one booking, sent at its ``sequence``."""
    data: dict[str, int] = {"b": booking_id}
    if sequence is not None:
        data["s"] = sequence
    return signing.dumps(data, salt=_MANAGE_SALT, compress=False)


def manage_token_read(token: str) -> ManageLink | None:
    """The booking (and sequence) of a genuine manage token at most ``MANAGE_MAX_AGE`` old,
    else None (tampered, expired or not a token at all)."""
    data = _loads(token, salt=_MANAGE_SALT, max_age=MANAGE_MAX_AGE) or {}
    booking_id, sequence = data.get("b"), data.get("s")
    if not isinstance(booking_id, int):
        return None
    return ManageLink(booking_id, sequence if isinstance(sequence, int) else None)


def waitlist_token(*, entry_id: int) -> str:
    """The token of the link in a waitlist offer."""
    return signing.dumps({"w": entry_id}, salt=_WAITLIST_SALT, compress=False)


def waitlist_token_read(token: str) -> int | None:
    """The waitlist entry id of a genuine token at most ``WAITLIST_MAX_AGE`` old, else None."""
    data = _loads(token, salt=_WAITLIST_SALT, max_age=WAITLIST_MAX_AGE) or {}
    entry_id = data.get("w")
    return entry_id if isinstance(entry_id, int) else None


def _loads(token: str, *, salt: str, max_age: timedelta) -> dict[str, object] | None:
    if not isinstance(token, str) or len(token) > 500:
        return None
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    return data if isinstance(data, dict) else None
