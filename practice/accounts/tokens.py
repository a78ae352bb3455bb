"""Secrets in emailed links.

Invite links carry a random token; only its SHA-256 is stored, a leaked table opens no door.
Links asking a patient to confirm a therapist are signed (nothing stored); they only ask
her, signed in, to say yes, and she can say yes only once (then she has a therapist).
"""

import hashlib
import secrets
from datetime import timedelta

from django.core import signing

_THERAPIST_LINK_SALT = "practice.accounts.therapist_link"


def token_new() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def therapist_link_token(*, patient_id: int, therapist_id: int) -> str:
    return signing.dumps(
        {"patient": patient_id, "therapist": therapist_id}, salt=_THERAPIST_LINK_SALT
    )


def therapist_link_read(token: str, *, max_age: timedelta) -> tuple[int, int] | None:
    """The (patient id, therapist profile id) a link was signed for, if it is genuine and recent."""
    try:
        data = signing.loads(token, salt=_THERAPIST_LINK_SALT, max_age=max_age)
    except signing.BadSignature:  # also SignatureExpired
        return None
    return int(data["patient"]), int(data["therapist"])
