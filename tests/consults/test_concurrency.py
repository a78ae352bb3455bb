"""Fifty visitors ask for the same slot at once, against the real PostgreSQL: one gets it."""

import itertools
import threading
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from rest_framework.test import APIClient

from consults.models import Booking, ConsultHost
from tests.consults.conftest import host_create

pytestmark = pytest.mark.django_db(transaction=True)
REQUESTS = 50


def race(payloads: list[dict[str, Any]]) -> list[Any]:
    """POST every payload from its own thread (own connection, own address) at one moment."""
    start = threading.Barrier(len(payloads))
    answers: list[Any] = [None] * len(payloads)

    def send(index: int) -> None:
        try:
            client = APIClient(REMOTE_ADDR=f"10.0.{index // 250}.{index % 250 + 1}")
            start.wait(30)
            answers[index] = client.post(
                "/api/v1/consults/bookings/", payloads[index], format="json"
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(payloads))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def visitor(n: int, **changes: Any) -> dict[str, Any]:
    return {
        "start": "2030-06-04T10:00:00-04:00",  # a Tuesday, 10:00 a.m. EDT
        "time_zone": "America/New_York",
        "name": f"Visitor {n}",
        "email": f"visitor{n}@example.com",
        "phone": f"+1202555{n:04}",
        "concern": "balance",
        "consent": True,
        **changes,
    }


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(datetime(2030, 6, 1, 12, 0, tzinfo=UTC)):  # Saturday
        yield


@pytest.fixture
def host() -> ConsultHost:
    return host_create(buffer_after_minutes=5)


def test_fifty_requests_for_one_slot_book_it_exactly_once(host: ConsultHost) -> None:
    answers = race([visitor(n) for n in range(REQUESTS)])

    assert Counter(answer.status_code for answer in answers) == {201: 1, 409: REQUESTS - 1}
    for answer in answers:
        if answer.status_code == 409:
            body = answer.json()
            assert "just taken" in body["error"]["message"]
            assert body["nearest"]
            assert "2030-06-04T10:00:00-04:00" not in {slot["start"] for slot in body["nearest"]}
    assert Booking.objects.count() == 1


def test_overlapping_starts_and_the_daily_cap_hold_under_concurrency() -> None:
    host = host_create(buffer_after_minutes=15, daily_cap=3)
    # 10:00 and 10:15 overlap through the buffer; the cap allows three of these eight times.
    starts = ["10:00", "10:15", "11:00", "11:30", "13:00", "14:00", "15:00", "16:00"]
    payloads = [
        visitor(n, start=f"2030-06-04T{starts[n % len(starts)]}:00-04:00") for n in range(24)
    ]
    answers = race(payloads)

    assert Counter(answer.status_code for answer in answers)[201] == 3
    booked = list(Booking.objects.filter(host=host).order_by("starts_at"))
    assert len(booked) == 3
    for earlier, later in itertools.pairwise(booked):
        assert earlier.blocked_until <= later.blocked_from
