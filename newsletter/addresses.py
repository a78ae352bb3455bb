"""Email addresses on the list: one normal form, and the keyed HMAC kept after erasure."""

from django.utils.crypto import salted_hmac

_HMAC_SALT = "newsletter.addresses.address_hmac"


def address_normalise(address: str) -> str:
    """The form an address is stored and compared in: trimmed and in lower case.

    Mail providers treat the local part without regard to case in practice, so
    ``Ada@Example.com`` and ``ada@example.com`` are one subscriber.
    """
    return address.strip().lower()


def address_hmac(address: str) -> str:
    """HMAC-SHA256 of the normalised address, keyed with ``SECRET_KEY`` (64 hex characters).

    Kept in place of an erased address: it recognises the address on a later import
    without storing it. Rotating ``SECRET_KEY`` forgets every suppression.
    """
    return salted_hmac(_HMAC_SALT, address_normalise(address), algorithm="sha256").hexdigest()
