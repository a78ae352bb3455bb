"""Calendar invites read back by the icalendar package, as a calendar program would."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest

from consults.calendar import (
    ConsultEvent,
    feed_ics,
    google_calendar_url,
    invite_ics,
    outlook_calendar_url,
)

NEW_YORK = ZoneInfo("America/New_York")


def consult(**changes: object) -> ConsultEvent:
    start = datetime(2026, 11, 2, 10, 15, tzinfo=NEW_YORK)
    fields: dict[str, object] = {
        "uid": "consult-7f3a@strongbones.example",
        "sequence": 0,
        "start": start,
        "end": start + timedelta(minutes=15),
        "summary": "Free phone consult with Ruth Calder",
        "description": "Ruth will call you on +1 212-555-0187.",
        "organizer_name": "Strong Bones PT, LLC",
        "organizer_email": "hello@strongbones.example",
        "attendee_name": "Margaret Hale",
        "attendee_email": "margaret@example.com",
        "location": "Phone call to +1 212-555-0187",
    }
    fields.update(changes)
    return ConsultEvent(**fields)  # type: ignore[arg-type]


def only_event(data: bytes) -> tuple[icalendar.Calendar, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.events
    return calendar, event


def test_an_invite_is_a_request_in_utc_with_its_uid_sequence_organizer_and_phone() -> None:
    calendar, event = only_event(invite_ics(consult(), method="REQUEST"))

    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == "consult-7f3a@strongbones.example"
    assert event.sequence == 0
    assert event.decoded("DTSTART") == datetime(2026, 11, 2, 15, 15, tzinfo=UTC)
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=15)
    assert b"DTSTART:20261102T151500Z" in invite_ics(consult(), method="REQUEST")
    assert str(event["ORGANIZER"]) == "mailto:hello@strongbones.example"
    assert event["ORGANIZER"].params["CN"] == "Strong Bones PT, LLC"
    assert str(event["ATTENDEE"]) == "mailto:margaret@example.com"
    assert "+1 212-555-0187" in str(event["DESCRIPTION"])
    assert "+1 212-555-0187" in str(event["LOCATION"])
    assert str(event["STATUS"]) == "CONFIRMED"


def test_a_change_keeps_the_uid_and_raises_the_sequence() -> None:
    moved = consult(sequence=1, start=datetime(2026, 11, 3, 9, 0, tzinfo=NEW_YORK))
    first = only_event(invite_ics(consult(), method="REQUEST"))[1]
    second = only_event(invite_ics(moved, method="REQUEST"))[1]

    assert str(second["UID"]) == str(first["UID"])
    assert second.sequence == first.sequence + 1
    assert second.decoded("DTSTART") == datetime(2026, 11, 3, 14, 0, tzinfo=UTC)


def test_a_cancel_names_the_same_event_and_marks_it_cancelled() -> None:
    calendar, event = only_event(invite_ics(consult(sequence=2), method="CANCEL"))

    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["UID"]) == "consult-7f3a@strongbones.example"
    assert event.sequence == 2
    assert str(event["STATUS"]) == "CANCELLED"


def test_a_feed_is_a_named_published_calendar_of_every_event() -> None:
    later = consult(uid="consult-2@strongbones.example", start=consult().start + timedelta(days=1))
    calendar = icalendar.Calendar.from_ical(
        feed_ics([consult(), later], name="Consults: Ruth Calder")
    )

    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "Consults: Ruth Calder"
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [
        "consult-7f3a@strongbones.example",
        "consult-2@strongbones.example",
    ]


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        invite_ics(consult(start=datetime(2026, 11, 2, 10, 15)), method="REQUEST")


def test_google_and_outlook_links_carry_the_utc_times_and_summary() -> None:
    google = parse_qs(urlsplit(google_calendar_url(consult())).query)
    outlook = parse_qs(urlsplit(outlook_calendar_url(consult())).query)

    assert google["dates"] == ["20261102T151500Z/20261102T153000Z"]
    assert google["text"] == ["Free phone consult with Ruth Calder"]
    assert outlook["startdt"] == ["2026-11-02T15:15:00Z"]
    assert outlook["enddt"] == ["2026-11-02T15:30:00Z"]
    assert outlook["subject"] == ["Free phone consult with Ruth Calder"]
