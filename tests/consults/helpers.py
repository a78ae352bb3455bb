"""Booking consults the way visitors do (through ``booking_create``) and reading what was sent."""

from datetime import datetime

import icalendar

from consults.models import Booking, ConsultHost
from consults.services import BookingRequest, booking_create
from practice.outbox.models import OutboxMessage


def book(
    host: ConsultHost,
    starts_at: datetime,
    *,
    email: str = "margaret@example.com",
    phone: str = "+12125550187",
    time_zone: str = "America/New_York",
    now: datetime | None = None,
) -> Booking:
    """Book as a visitor would; the caller runs on-commit hooks (the lifecycle's seam)."""
    return booking_create(
        request=BookingRequest(
            starts_at=starts_at,
            time_zone=time_zone,
            name="Margaret Hale",
            email=email,
            phone=phone,
            concern="bone_density",
            concern_detail="T-score of -2.8 after a wrist fracture",
            consent=True,
            host_id=host.pk,
        ),
        now=now,
    )


def sent_to(address: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to=address).order_by("pk"))


def invite_of(message: OutboxMessage) -> tuple[icalendar.Calendar, icalendar.Event]:
    """The calendar attached to an email, parsed by icalendar, and its one event."""
    [attachment] = message.attachments.all()
    assert attachment.mimetype.startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(bytes(attachment.content))
    [event] = calendar.events
    return calendar, event
