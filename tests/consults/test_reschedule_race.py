"""Several visitors move their consults to the same free time at once, against the real
PostgreSQL: one gets it, the others are told it was just taken and keep their own time."""

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from consults.changes import booking_reschedule
from consults.models import Booking
from consults.services import SlotTaken
from tests.consults.conftest import host_create

pytestmark = pytest.mark.django_db(transaction=True)
NEW_YORK = ZoneInfo("America/New_York")
VISITORS = 8
TARGET = datetime(2030, 6, 5, 14, 0, tzinfo=NEW_YORK)  # a Wednesday, 2 p.m. EDT


def test_one_of_eight_simultaneous_moves_to_one_time_wins(therapist) -> None:
    host = host_create(therapist=therapist)
    first = datetime(2030, 6, 4, 9, 0, tzinfo=NEW_YORK)
    bookings = [
        Booking.objects.create(
            host=host,
            starts_at=first + timedelta(minutes=15 * n),
            ends_at=first + timedelta(minutes=15 * (n + 1)),
            blocked_from=first + timedelta(minutes=15 * n),
            blocked_until=first + timedelta(minutes=15 * (n + 1)),
            host_date=first.date(),
            name=f"Visitor {n}",
            email=f"v{n}@example.com",
            phone=f"+1202555{n:04}",
            concern="balance",
            time_zone="America/New_York",
            consented_at=datetime(2030, 6, 1, tzinfo=UTC),
        )
        for n in range(VISITORS)
    ]
    start = threading.Barrier(VISITORS)
    outcomes: list[str] = [""] * VISITORS

    def move(index: int) -> None:
        try:
            start.wait(30)
            booking_reschedule(booking_id=bookings[index].pk, starts_at=TARGET)
            outcomes[index] = "moved"
        except SlotTaken:
            outcomes[index] = "taken"
        finally:
            connection.close()

    with time_machine.travel(datetime(2030, 6, 1, 12, 0, tzinfo=UTC)):
        threads = [threading.Thread(target=move, args=(n,)) for n in range(VISITORS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)

    assert sorted(outcomes) == ["moved"] + ["taken"] * (VISITORS - 1)
    at_target = Booking.objects.filter(starts_at=TARGET)
    assert at_target.count() == 1
    assert at_target.get().sequence == 1
    assert Booking.objects.filter(sequence=0).count() == VISITORS - 1
