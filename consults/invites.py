"""What a booking looks like to calendars and in emails: its event, links and local times.

The event never carries the visitor's concern (``consults.calendar`` says why): only who
calls whom, when, and on which number.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse

from consults import tokens
from consults.calendar import ConsultEvent, google_calendar_url, outlook_calendar_url
from consults.models import Booking
from consults.phones import phone_display
from practice.core.localtime import format_moment
from practice.core.selectors import practice_profile


def booking_uid(booking: Booking) -> str:
    """The calendar UID of a booking for its whole life: ``<uuid>@<site host>``."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{booking.uid}@{host}"


def booking_event(booking: Booking) -> ConsultEvent:
    """The visitor's calendar event for ``booking`` at its current time and sequence."""
    profile = practice_profile()
    therapist = booking.host.therapist
    phone = phone_display(booking.phone)
    return ConsultEvent(
        uid=booking_uid(booking),
        sequence=booking.sequence,
        start=booking.starts_at,
        end=booking.ends_at,
        summary=f"Free phone consult with {therapist.display_name} ({profile.name})",
        description=(
            f"{therapist.display_name} will call you on {phone}. "
            f"To reschedule or cancel: {manage_url(booking)}"
            + (f" Questions: {profile.phone}." if profile.phone else "")
        ),
        organizer_name=profile.name,
        organizer_email=profile.email or settings.PRACTICE_EMAIL,
        attendee_name=booking.name,
        attendee_email=booking.email,
        location=f"Phone call to {phone}",
        cancelled=booking.status == Booking.Status.CANCELLED,
    )


def host_feed_event(booking: Booking) -> ConsultEvent:
    """The host's feed event for ``booking``: whom to call on which number, never the concern."""
    profile = practice_profile()
    phone = phone_display(booking.phone)
    return ConsultEvent(
        uid=booking_uid(booking),
        sequence=booking.sequence,
        start=booking.starts_at,
        end=booking.ends_at,
        summary=f"Call {booking.name} ({phone})",
        description=f"Free phone consult: call {booking.name} on {phone}. "
        f"Details on your agenda: {settings.SITE_URL}{reverse('consults:agenda')}",
        organizer_name=profile.name,
        organizer_email=profile.email or settings.PRACTICE_EMAIL,
        attendee_name=booking.name,
        attendee_email=booking.email,
        location=f"Phone call to {phone}",
        cancelled=booking.status == Booking.Status.CANCELLED,
    )


def manage_url(booking: Booking) -> str:
    """The absolute reschedule-or-cancel link of a booking (signed, no login)."""
    token = tokens.manage_token(booking_id=booking.pk, sequence=booking.sequence)
    return settings.SITE_URL + reverse("consults:manage_link", args=[token])


@dataclass(frozen=True)
class BookingTimes:
    """A booking's start as the visitor's clock and the host's clock show it, zone named."""

    visitor: str
    host: str
    visitor_zone: ZoneInfo
    host_zone: ZoneInfo


def booking_times(booking: Booking) -> BookingTimes:
    visitor_zone = ZoneInfo(str(booking.time_zone))
    host_zone = ZoneInfo(str(booking.host.therapist.time_zone))
    return BookingTimes(
        visitor=format_moment(booking.starts_at, zone=visitor_zone),
        host=format_moment(booking.starts_at, zone=host_zone),
        visitor_zone=visitor_zone,
        host_zone=host_zone,
    )


def visitor_context(booking: Booking) -> dict[str, object]:
    """What every email to the visitor about ``booking`` shows."""
    event = booking_event(booking)
    return {
        "booking": booking,
        "name": booking.name.split()[0] if booking.name.split() else "",
        "therapist": booking.host.therapist,
        "when": booking_times(booking).visitor,
        "phone": phone_display(booking.phone),
        "manage_url": manage_url(booking),
        "google_url": google_calendar_url(event),
        "outlook_url": outlook_calendar_url(event),
        "book_url": settings.SITE_URL + reverse("consults:book"),
    }


def host_context(booking: Booking) -> dict[str, object]:
    """What every email to the host about ``booking`` shows (no concern: it is health data
    and stays behind her sign-in, on the agenda)."""
    return {
        "booking": booking,
        "therapist": booking.host.therapist,
        "when": booking_times(booking).host,
        "phone": phone_display(booking.phone),
        "agenda_url": settings.SITE_URL
        + reverse("consults:agenda")
        + f"?date={booking.starts_at.astimezone(booking_times(booking).host_zone).date()}",
    }
