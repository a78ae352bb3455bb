"""Signed consult links: genuine ones open, forged, other-purpose and expired ones do not."""

from datetime import timedelta

import time_machine
from django.utils import timezone

from consults import tokens


def test_a_manage_token_reads_back_its_booking_and_version() -> None:
    token = tokens.manage_token(booking_id=12, version=3)

    assert tokens.manage_token_read(token) == (12, 3)


def test_a_tampered_token_opens_nothing() -> None:
    token = tokens.manage_token(booking_id=12, version=0)
    forged = token.replace("12", "13", 1) if "12" in token else "x" + token

    assert tokens.manage_token_read(forged) is None
    assert tokens.manage_token_read("not-a-token") is None
    assert tokens.manage_token_read("a" * 2000) is None


def test_a_token_for_one_purpose_does_not_open_another() -> None:
    assert tokens.waitlist_token_read(tokens.manage_token(booking_id=5, version=0)) is None
    assert tokens.manage_token_read(tokens.waitlist_token(entry_id=5)) is None


def test_tokens_expire() -> None:
    with time_machine.travel(timezone.now() - tokens.MANAGE_MAX_AGE - timedelta(minutes=1)):
        old = tokens.manage_token(booking_id=1, version=0)
    with time_machine.travel(timezone.now() - tokens.WAITLIST_MAX_AGE - timedelta(minutes=1)):
        old_offer = tokens.waitlist_token(entry_id=1)

    assert tokens.manage_token_read(old) is None
    assert tokens.waitlist_token_read(old_offer) is None
