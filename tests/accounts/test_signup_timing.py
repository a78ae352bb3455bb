"""Signing up with a taken address answers as slowly as with a new one: timing tells nothing."""

import statistics
import time
from collections.abc import Callable

import pytest
from django.conf import global_settings
from django.test import Client
from django.urls import reverse

from tests.fixtures.accounts import PASSWORD, user_create

pytestmark = pytest.mark.django_db

RUNS = 7


def seconds(call: Callable[[str], object], argument: str) -> float:
    started = time.perf_counter()
    call(argument)
    return time.perf_counter() - started


def test_a_taken_address_takes_as_long_as_a_new_one(settings) -> None:
    # The real hasher: the one the site uses, whose cost is what could tell the two apart.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    taken = user_create(email="taken@example.com")

    def signup(email: str) -> None:
        data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
        response = Client().post(reverse("account_signup"), data)
        assert response["Location"] == reverse("account_email_verification_sent")

    signup("warm.up@example.com")
    new: list[float] = []
    existing: list[float] = []
    for run in range(RUNS):  # taken in turns, so a busy machine slows both alike
        new.append(seconds(signup, f"new{run}@example.com"))
        existing.append(seconds(signup, taken.email))

    ratio = statistics.median(existing) / statistics.median(new)
    assert 0.5 < ratio < 2, f"taken {existing}, new {new}"
