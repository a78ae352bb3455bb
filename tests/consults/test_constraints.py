"""The database itself refuses a double booking, whatever code inserts the rows."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from consults.models import Booking, ConsultHost

START = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def _row(host: ConsultHost, starts_at: datetime, *, before: int = 0, after: int = 0) -> Booking:
    ends_at = starts_at + timedelta(minutes=15)
    return Booking(
        host=host,
        starts_at=starts_at,
        ends_at=ends_at,
        blocked_from=starts_at - timedelta(minutes=before),
        blocked_until=ends_at + timedelta(minutes=after),
        host_date=date(2026, 12, 1),
        name="Alice Visitor",
        email="alice@example.com",
        phone="+12025550123",
        concern="balance",
        time_zone="America/New_York",
        consented_at=START,
    )


def test_two_active_bookings_of_one_host_cannot_share_a_start(host: ConsultHost) -> None:
    _row(host, START).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(host, START).save()


def test_a_cancelled_booking_frees_its_start(host: ConsultHost) -> None:
    first = _row(host, START)
    first.save()
    first.status = Booking.Status.CANCELLED
    first.cancelled_at = START
    first.save()
    _row(host, START).save()
    assert Booking.objects.filter(host=host, starts_at=START).count() == 2


def test_overlapping_buffered_ranges_are_refused_by_postgresql(host: ConsultHost) -> None:
    _row(host, START, after=10).save()
    # Starts after the first consult ends, but inside its 10-minute buffer.
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(host, START + timedelta(minutes=15)).save()
    # Touching ranges are fine: [15:00, 15:25) then [15:25, 15:40).
    _row(host, START + timedelta(minutes=25)).save()
