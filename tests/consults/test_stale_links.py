"""Links in older emails and pages opened before a change: they show the consult as it is now
and never act on what it was; a host who cancels can keep the freed time closed."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from consults.models import BlockedPeriod, Booking, ConsultHost
from consults.selectors import day_slot_list
from consults.waitlist import waitlist_join
from practice.outbox.models import OutboxMessage
from tests.consults.helpers import book, sent_to

NEW_YORK = ZoneInfo("America/New_York")
VISITOR = "margaret@example.com"
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
START = datetime(2026, 12, 1, 10, 0, tzinfo=NEW_YORK)
LATER = datetime(2026, 12, 2, 14, 30, tzinfo=NEW_YORK)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def booking(host: ConsultHost, django_capture_on_commit_callbacks) -> Booking:
    with django_capture_on_commit_callbacks(execute=True):
        return book(host, START)


def emailed_link(message: OutboxMessage) -> str:
    """The path of the reschedule-or-cancel link in an email, as she would click it."""
    [url] = [w for w in message.text_body.split() if "/consults/manage/link/" in w]
    return url[url.index("/consults/") :].rstrip(".,)>")


def test_a_link_from_an_earlier_email_shows_the_current_time_and_says_it_moved(
    booking: Booking, django_capture_on_commit_callbacks
) -> None:
    old_link = emailed_link(sent_to(VISITOR)[0])
    mover = Client()
    mover.get(old_link)
    with django_capture_on_commit_callbacks(execute=True):
        mover.post(
            reverse("consults:manage_reschedule"), {"start": LATER.isoformat(), "sequence": 0}
        )
    booking.refresh_from_db()
    assert booking.starts_at == LATER

    page = Client().get(old_link, follow=True).content.decode()

    assert "2:30 p.m. EST on Wednesday, December 2, 2026" in page
    assert "has been moved since that email" in page
    new_link = emailed_link(sent_to(VISITOR)[-1])
    assert "has been moved since" not in Client().get(new_link, follow=True).content.decode()


def test_a_page_opened_before_a_reschedule_cannot_cancel_or_move_what_it_showed(
    booking: Booking, django_capture_on_commit_callbacks
) -> None:
    link = emailed_link(sent_to(VISITOR)[0])
    stale, fresh = Client(), Client()
    stale_page = stale.get(link, follow=True).content.decode()
    assert 'name="sequence" value="0"' in stale_page
    fresh.get(link)
    with django_capture_on_commit_callbacks(execute=True):
        fresh.post(
            reverse("consults:manage_reschedule"), {"start": LATER.isoformat(), "sequence": 0}
        )

    cancelled = stale.post(reverse("consults:manage_cancel"), {"sequence": 0}, follow=True)
    moved = stale.post(
        reverse("consults:manage_reschedule"),
        {"start": datetime(2026, 12, 3, 9, 0, tzinfo=NEW_YORK).isoformat(), "sequence": 0},
        follow=True,
    )

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.starts_at == LATER
    assert booking.sequence == 1
    for response in (cancelled, moved):
        text = response.content.decode()
        assert "changed since you opened this page" in text
        assert "2:30 p.m. EST on Wednesday, December 2, 2026" in text
    assert stale.post(reverse("consults:manage_cancel"), {"sequence": "x"}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_a_host_who_cancels_keeps_the_time_closed_unless_she_reopens_it(
    therapist_client: Client, host: ConsultHost, booking: Booking
) -> None:
    waitlist_join(day=date(2026, 12, 1), zone=NEW_YORK, name="Ann First", email="ann@example.com")
    page = therapist_client.get(reverse("consults:agenda_booking", args=[booking.pk]))
    assert 'name="block_time" value="on" checked' in page.content.decode()

    therapist_client.post(
        reverse("consults:agenda_cancel", args=[booking.pk]),
        {"block_time": "on", "sequence": booking.sequence},
    )

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    day = day_slot_list(day=date(2026, 12, 1), zone=NEW_YORK, host_id=host.pk)
    assert START not in [slot.starts_at for slot in day.slots]
    assert BlockedPeriod.objects.filter(host=host, starts_at=START).exists()
    assert sent_to("ann@example.com") == []


def test_a_host_who_cancels_and_unticks_the_box_offers_the_time_again(
    therapist_client: Client, host: ConsultHost, booking: Booking
) -> None:
    therapist_client.post(
        reverse("consults:agenda_cancel", args=[booking.pk]), {"sequence": booking.sequence}
    )

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    day = day_slot_list(day=date(2026, 12, 1), zone=NEW_YORK, host_id=host.pk)
    assert START in [slot.starts_at for slot in day.slots]
    assert not BlockedPeriod.objects.exists()
