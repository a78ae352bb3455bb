"""Signed consult links: genuine ones open, forged, other-purpose and expired ones do not."""

from datetime import timedelta

import time_machine
from django.core import signing
from django.utils import timezone

from consults import tokens


def test_a_manage_token_reads_back_its_booking() -> None:
    token = tokens.manage_token(booking_id=12, sequence=3)

    assert tokens.manage_token_read(token) == tokens.ManageLink(booking_id=12, sequence=3)
    assert tokens.manage_token_read(tokens.manage_token(booking_id=12)) == (12, None)


def test_a_tampered_token_opens_nothing() -> None:
    token = tokens.manage_token(booking_id=12)
    signature = token.partition(":")[2]
    other_booking = tokens.manage_token(booking_id=13).partition(":")[0]
    forged_elsewhere = signing.dumps({"b": 13}, salt=tokens._MANAGE_SALT, key="guessed-key")

    assert tokens.manage_token_read(f"{other_booking}:{signature}") is None
    assert tokens.manage_token_read(forged_elsewhere) is None
    assert tokens.manage_token_read("not-a-token") is None
    assert tokens.manage_token_read("a" * 2000) is None


def test_a_token_for_one_purpose_does_not_open_another() -> None:
    assert tokens.waitlist_token_read(tokens.manage_token(booking_id=5)) is None
    assert tokens.manage_token_read(tokens.waitlist_token(entry_id=5)) is None


def test_tokens_expire() -> None:
    with time_machine.travel(timezone.now() - tokens.MANAGE_MAX_AGE - timedelta(minutes=1)):
        old = tokens.manage_token(booking_id=1)
    with time_machine.travel(timezone.now() - tokens.WAITLIST_MAX_AGE - timedelta(minutes=1)):
        old_offer = tokens.waitlist_token(entry_id=1)

    assert tokens.manage_token_read(old) is None
    assert tokens.waitlist_token_read(old_offer) is None
