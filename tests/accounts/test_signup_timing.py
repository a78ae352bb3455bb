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


def median_seconds(call: Callable[[int], object]) -> float:
    timings = []
    for run in range(RUNS):
        started = time.perf_counter()
        call(run)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def test_a_taken_address_takes_as_long_as_a_new_one(settings) -> None:
    # The real hasher: the one the site uses, whose cost is what could tell the two apart.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    taken = user_create(email="taken@example.com")

    def signup(email: str) -> None:
        data = {"email": email, "password1": PASSWORD, "password2": PASSWORD}
        response = Client().post(reverse("account_signup"), data)
        assert response["Location"] == reverse("account_email_verification_sent")

    new = median_seconds(lambda run: signup(f"new{run}@example.com"))
    existing = median_seconds(lambda run: signup(taken.email))

    assert 0.5 < existing / new < 2, f"taken {existing:.3f}s, new {new:.3f}s"
