"""Calendar invites for consults: iCalendar (RFC 5545 / iTIP RFC 5546) files and add-to links.

Built with the ``icalendar`` package, never by hand. Times are written in UTC (``...Z``), so
no VTIMEZONE block is needed and every calendar shows them in its owner's own zone.

One consult is one event for its whole life: the ``UID`` never changes, and each change
(a new time, a cancellation) goes out with a higher ``SEQUENCE``, so the visitor's calendar
updates the event it already holds instead of adding a second one (RFC 5546, 2.1.4).

What these files and links carry is synced to third-party calendars (Google, Apple,
Microsoft): the visitor's concern is health data and is never put in them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import urlencode

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Strong Bones Physical Therapy//Consults//EN"

Method = Literal["REQUEST", "CANCEL", "PUBLISH"]


@dataclass(frozen=True)
class ConsultEvent:
    """What a calendar may know of one consult; nothing else about the person goes out.

    ``start`` and ``end`` are timezone-aware (any zone; written as UTC). ``sequence`` is
    0 for the first invite and grows by one with each change. ``cancelled`` marks the event
    as cancelled (STATUS:CANCELLED).
    """

    uid: str
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str
    organizer_name: str
    organizer_email: str
    attendee_name: str
    attendee_email: str
    location: str = ""
    url: str = ""
    cancelled: bool = False


def invite_ics(event: ConsultEvent, *, method: Method) -> bytes:
    """One event as an iTIP message: ``REQUEST`` (new or changed) or ``CANCEL``.

    Returns the bytes of a ``text/calendar`` file (CRLF line endings, folded lines). A
    ``CANCEL`` carries the same UID with ``STATUS:CANCELLED`` (RFC 5546, 3.2.5).
    """
    calendar = _calendar(method=method)
    calendar.add_component(_event(event, cancelled=event.cancelled or method == "CANCEL"))
    return calendar.to_ical()


def feed_ics(events: Iterable[ConsultEvent], *, name: str, refresh_minutes: int = 15) -> bytes:
    """A subscribable calendar (``METHOD:PUBLISH``) of many consults, e.g. a host's feed.

    ``name`` is the calendar's name shown by Google, Apple and Outlook (``X-WR-CALNAME``);
    ``refresh_minutes`` is how often they are asked to poll (``REFRESH-INTERVAL`` and
    ``X-PUBLISHED-TTL``; Google ignores it and polls about every 8 to 24 hours).
    """
    calendar = _calendar(method="PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", f"PT{refresh_minutes}M")
    calendar.add(
        "refresh-interval", timedelta(minutes=refresh_minutes), parameters={"VALUE": "DURATION"}
    )
    for event in events:
        calendar.add_component(_event(event, cancelled=event.cancelled))
    return calendar.to_ical()


def google_calendar_url(event: ConsultEvent) -> str:
    """A link that opens Google Calendar's new-event page filled in with this consult."""
    query = {
        "action": "TEMPLATE",
        "text": event.summary,
        "dates": f"{_compact_utc(event.start)}/{_compact_utc(event.end)}",
        "details": event.description,
        "location": event.location,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(event: ConsultEvent) -> str:
    """A link that opens Outlook on the web's new-event page filled in with this consult."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.summary,
        "startdt": _iso_utc(event.start),
        "enddt": _iso_utc(event.end),
        "body": event.description,
        "location": event.location,
    }
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)


def _calendar(*, method: Method) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _event(event: ConsultEvent, *, cancelled: bool) -> Event:
    if event.start.tzinfo is None or event.end.tzinfo is None:
        raise ValueError("Consult events need timezone-aware start and end times.")
    ics_event = Event()
    ics_event.add("uid", event.uid)
    ics_event.add("sequence", event.sequence)
    ics_event.add("dtstamp", datetime.now(UTC))
    ics_event.add("dtstart", event.start.astimezone(UTC))
    ics_event.add("dtend", event.end.astimezone(UTC))
    ics_event.add("summary", event.summary)
    ics_event.add("description", event.description)
    if event.location:
        ics_event.add("location", event.location)
    if event.url:
        ics_event.add("url", event.url)
    ics_event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    ics_event.add("transp", "OPAQUE")
    organizer = vCalAddress(f"mailto:{event.organizer_email}")
    organizer.params["cn"] = vText(event.organizer_name)
    ics_event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{event.attendee_email}")
    attendee.params["cn"] = vText(event.attendee_name or event.attendee_email)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED")
    ics_event.add("attendee", attendee)
    return ics_event


def _compact_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
