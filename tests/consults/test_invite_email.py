"""The invite as a mail program receives it, through a real SMTP server: a text/calendar part
with its iTIP method, that icalendar reads back."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import time_machine

from practice.outbox.delivery import message_deliver
from tests.consults.helpers import book, sent_to

NEW_YORK = ZoneInfo("America/New_York")


def test_the_confirmation_arrives_with_a_text_calendar_request_part(
    host, smtp_server, django_capture_on_commit_callbacks
) -> None:
    with (
        time_machine.travel(datetime(2026, 11, 20, 15, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        book(host, datetime(2026, 12, 1, 10, 0, tzinfo=NEW_YORK))
    [confirmation] = sent_to("margaret@example.com")

    message_deliver(message_id=confirmation.pk)

    [received] = smtp_server.wait_for(1)
    [part] = [p for p in received.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    [event] = calendar.events
    assert str(calendar["METHOD"]) == "REQUEST"
    assert event.decoded("DTSTART") == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    assert "10 a.m. EST on Tuesday, December 1, 2026" in str(received["Subject"])
