"""Signed tokens in the newsletter's emailed links (nothing stored, nothing to leak).

Each token names the subscriber and carries the first 16 hex characters of the keyed HMAC
of the address it was sent to (``addresses.address_hmac``), so it works only while the
subscriber still has that address. Each purpose has its own salt: a download token cannot
unsubscribe anyone.

- ``confirm``: 7 days (``conf.CONFIRM_VALID``), also carries when it was issued, so a
  link issued before her last confirmation cannot confirm her again after she unsubscribed.
- ``download``: 30 days (``conf.DOWNLOAD_VALID``).
- ``unsubscribe`` and ``preferences``: no expiry (RFC 8058 links must keep working in old
  emails).

A token is not the same string each time it is made, whatever its purpose:
``signing.dumps`` signs with a ``TimestampSigner``, which puts the second it was made (base
62) before the signature. So two emails to one subscriber carry different unsubscribe and
preferences links; every one of them keeps working (no age is checked for these purposes),
and each stops working once her address changes.
"""

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.core import signing

from newsletter.addresses import address_hmac

Purpose = Literal["confirm", "download", "unsubscribe", "preferences"]
_HMAC_CHARS = 16


@dataclass(frozen=True)
class TokenData:
    subscriber_id: int
    address_tag: str
    #: When the token was made (seconds since the epoch, UTC, to the millisecond); 0 for the
    #: purposes whose tokens never expire.
    issued_at: float
    #: False when the token is genuine but older than its purpose allows.
    fresh: bool

    def matches(self, address: str) -> bool:
        """Whether the token was sent to ``address``."""
        return self.address_tag == address_hmac(address)[:_HMAC_CHARS]


#: Purposes whose links expire, so their tokens also carry the time they were made, to the
#: millisecond (``t``, what ``TokenData.issued_at`` and ``max_age`` are read from). Tokens of
#: the others carry no time of their own, but still differ from one second to the next
#: (the signer's timestamp, see above); it is never checked for them.
_TIMED: set[Purpose] = {"confirm", "download"}


def token_make(*, purpose: Purpose, subscriber_id: int, address: str) -> str:
    data: dict[str, object] = {"s": subscriber_id, "a": address_hmac(address)[:_HMAC_CHARS]}
    if purpose in _TIMED:
        data["t"] = round(time.time(), 3)
    return signing.dumps(data, salt=f"newsletter.{purpose}", compress=False)


def token_read(
    token: str, *, purpose: Purpose, max_age: timedelta | None = None
) -> TokenData | None:
    """The token's content if its signature is genuine, else None (tampered or another purpose).

    An expired token is returned with ``fresh=False`` so its page can offer a new link.
    """
    try:
        data = signing.loads(token, salt=f"newsletter.{purpose}")
        subscriber_id, tag, issued_at = int(data["s"]), str(data["a"]), float(data.get("t", 0))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    fresh = max_age is None or time.time() - issued_at <= max_age.total_seconds()
    return TokenData(subscriber_id=subscriber_id, address_tag=tag, issued_at=issued_at, fresh=fresh)
