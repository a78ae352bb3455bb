"""Races of the changes that decide whether a consult is held ("take the new time",
``consults.held_changes.held_take``; a cancellation, ``consults.changes.booking_cancel``) with
other requests of the same address or phone number, on the real PostgreSQL, with real threads
and connections.

The rule (``consults.services``): one upcoming real consult per address and per number; a
request that matches one is held for it, never refused, and a request held for a number becomes
real when the consult holding that number is cancelled. A take or a cancellation decides
about both, so it serialises with a new booking on the booking path's locks, in the booking
path's order (host rows, those locks, booking rows). To make the race happen every run, each
request pauses after it has read what it decides on and before it commits (``Meeting``),
until the other request has reached that point too or waits for a lock in PostgreSQL (then it
can only go on once this one commits: that wait is what the fix adds).
"""

import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.http import HttpResponse
from django.test import Client

from consults import changes, held_changes, lifecycle
from consults.changes import booking_cancel, booking_reschedule
from consults.held import held_token
from consults.held_changes import held_take
from consults.models import BlockedPeriod, Booking, ConsultHost
from consults.services import BookingRequest, booking_create
from practice.core.selectors import practice_profile
from tests.consults.conftest import host_create

pytestmark = pytest.mark.django_db(transaction=True)
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2030, 6, 3, 12, 0, tzinfo=UTC)  # Monday June 3, 8 a.m. EDT
NUMBER = "+12025550123"
TAKE = {"action": "take"}


def booking_add(
    host: ConsultHost,
    *,
    day: int,
    hour: int,
    email: str,
    phone: str,
    held: str = Booking.Held.NO,
    held_for: Booking | None = None,
) -> Booking:
    """A confirmed consult of ``host`` on June ``day``, 2030 at ``hour``:00 New York time."""
    starts_at = datetime(2030, 6, day, hour, 0, tzinfo=NEW_YORK)
    ends_at = starts_at + timedelta(minutes=15)
    return Booking.objects.create(
        host=host,
        starts_at=starts_at,
        ends_at=ends_at,
        blocked_from=starts_at,
        blocked_until=ends_at,
        host_date=starts_at.date(),
        name="Ann Lee",
        email=email,
        phone=phone,
        concern="balance",
        time_zone="America/New_York",
        consented_at=NOW - timedelta(days=1),
        created_at=NOW - timedelta(days=1),
        held=held,
        held_for=held_for,
    )


class Meeting:
    """Where concurrent requests wait for each other before they commit."""

    def __init__(self, *names: str) -> None:
        self.arrived = {name: threading.Event() for name in names}
        self.pids: dict[str, int] = {}

    def join(self, name: str) -> None:
        """Note the calling thread's PostgreSQL backend as ``name``'s."""
        connection.ensure_connection()
        self.pids[name] = connection.connection.info.backend_pid

    def pause(self, name: str) -> None:
        """``name`` is here: wait until each other party is here or waits for a lock."""
        self.arrived[name].set()
        others = [other for other in self.arrived if other != name]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if all(self.arrived[other].is_set() or self._blocked(other) for other in others):
                return
            time.sleep(0.02)
        raise AssertionError("the other request neither came nor waited for a lock")

    def _blocked(self, name: str) -> bool:
        if name not in self.pids:
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)",
                [self.pids[name]],
            )
            return bool(cursor.fetchone()[0])


def race(meeting: Meeting, **actions: Callable[[], object]) -> dict[str, object]:
    """Run each action in a thread of its name, with a connection of its own; returns what
    each returned or raised (the test reads it: a refusal or a 500 fails it)."""
    outcomes: dict[str, object] = {}

    def run(name: str, action: Callable[[], object]) -> None:
        try:
            meeting.join(name)
            outcomes[name] = action()
        except Exception as exc:
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(name, action), name=name)
        for name, action in actions.items()
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def unheld_after_both_read(monkeypatch: pytest.MonkeyPatch, meeting: Meeting) -> None:
    """Each take pauses once it has read what it decides on, before making its time real."""
    unheld = lifecycle.booking_unheld

    def booking_unheld_after_both_read(booking: Booking) -> None:
        meeting.pause(threading.current_thread().name)
        unheld(booking)

    monkeypatch.setattr(held_changes, "booking_unheld", booking_unheld_after_both_read)


def released_then_paused(
    monkeypatch: pytest.MonkeyPatch, meeting: Meeting, name: str
) -> threading.Event:
    """``name`` pauses once the cancelled consult's number was released; the event is set then."""
    released = threading.Event()
    release = lifecycle.held_phone_release

    def release_then_wait(*, cancelled: Booking) -> list[Booking]:
        made_real = release(cancelled=cancelled)
        released.set()
        meeting.pause(name)
        return made_real

    monkeypatch.setattr(lifecycle, "held_phone_release", release_then_wait)
    return released


def cara_books_with_the_number(released: threading.Event, meeting: Meeting) -> Booking:
    """Once ``released`` is set, Cara books from another address with ``NUMBER``."""
    released.wait(30)
    try:
        return booking_create(
            request=BookingRequest(
                starts_at=datetime(2030, 6, 6, 9, 0, tzinfo=NEW_YORK),
                time_zone="America/New_York",
                name="Cara Diaz",
                email="cara@example.com",
                phone=NUMBER,
                concern="balance",
                concern_detail="",
                consent=True,
            )
        )
    finally:
        meeting.pause("book")


def live_for_number(phone: str) -> list[Booking]:
    return list(Booking.objects.filter(phone=phone, status=Booking.Status.CONFIRMED).order_by("pk"))


def test_two_takes_with_one_number_at_once_leave_it_one_real_consult(therapist, monkeypatch):
    """Two addresses each have a consult and a second request held for it; both requests gave
    the same number. Both take their new time at the same moment: one becomes the number's
    consult, the other is held for it (nobody calls it, as for a fresh request with that
    number), and neither is refused. Before the fix both became real: the number was called
    twice."""
    host = host_create(therapist=therapist)
    practice_profile()  # made on first use: made here, its insert cannot order the requests
    first = booking_add(host, day=10, hour=9, email="ann@example.com", phone="+12025550101")
    second = booking_add(host, day=10, hour=10, email="bea@example.com", phone="+12025550102")
    asked_first = booking_add(
        host, day=5, hour=9, email=first.email, phone=NUMBER, held="email", held_for=first
    )
    asked_second = booking_add(
        host, day=5, hour=10, email=second.email, phone=NUMBER, held="email", held_for=second
    )
    meeting = Meeting("first", "second")
    unheld_after_both_read(monkeypatch, meeting)
    with time_machine.travel(NOW):
        outcomes = race(
            meeting,
            first=lambda: held_take(booking_id=asked_first.pk),
            second=lambda: held_take(booking_id=asked_second.pk),
        )

    assert all(isinstance(outcome, Booking) for outcome in outcomes.values()), outcomes
    assert len(outcomes) == 2
    live = live_for_number(NUMBER)
    assert {b.pk for b in live} == {asked_first.pk, asked_second.pk}
    real = [b for b in live if b.held == Booking.Held.NO]
    assert len(real) == 1, "the number has two real consults: it would be called twice"
    [other] = [b for b in live if b.is_held]
    assert other.held == Booking.Held.PHONE
    assert other.held_for == real[0]
    for replaced in (first, second):
        replaced.refresh_from_db()
        assert replaced.status == Booking.Status.CANCELLED


def test_a_new_request_with_her_number_during_her_take_is_not_left_waiting_for_nothing(
    therapist, monkeypatch
):
    """While she takes her new time (her consult, which had the same number, is being
    cancelled), someone books with that number from another address. Whichever commits first,
    the new request ends up held for a consult that stands, or real: never held for the
    cancelled one, where nothing would ever release it and nobody would ever call her although
    she was told we would. Before the fix it was held for the cancelled consult."""
    host = host_create(therapist=therapist)
    practice_profile()  # made on first use: made here, its insert cannot order the requests
    hers = booking_add(host, day=5, hour=9, email="ann@example.com", phone=NUMBER)
    asked = booking_add(
        host, day=7, hour=9, email=hers.email, phone=NUMBER, held="email", held_for=hers
    )
    meeting = Meeting("take", "book")
    released = released_then_paused(monkeypatch, meeting, "take")
    with time_machine.travel(NOW):
        outcomes = race(
            meeting,
            take=lambda: held_take(booking_id=asked.pk),
            book=lambda: cara_books_with_the_number(released, meeting),
        )

    assert all(isinstance(outcome, Booking) for outcome in outcomes.values()), outcomes
    assert len(outcomes) == 2
    hers.refresh_from_db()
    assert hers.status == Booking.Status.CANCELLED
    live = live_for_number(NUMBER)
    assert len(live) == 2
    assert len([b for b in live if b.held == Booking.Held.NO]) == 1
    for booking in live:
        if booking.is_held:
            assert booking.held == Booking.Held.PHONE
            assert booking.held_for is not None
            assert booking.held_for.status == Booking.Status.CONFIRMED, (
                "held for a cancelled consult: nobody would ever call her"
            )


@pytest.mark.parametrize(
    "by_host", [pytest.param(False, id="from-her-link"), pytest.param(True, id="host-blocks-time")]
)
def test_a_new_request_with_the_number_of_a_consult_being_cancelled_is_called(
    therapist, monkeypatch, by_host: bool
):
    """Her consult is being cancelled (from her link, or by the host who keeps its time
    closed) while someone books with its number from another address. The new request ends up
    real (the number has no other consult): before the fix it was held for the cancelled
    consult, where nothing would ever release it, and nobody would ever call her."""
    host = host_create(therapist=therapist)
    practice_profile()
    hers = booking_add(host, day=5, hour=9, email="ann@example.com", phone=NUMBER)
    meeting = Meeting("cancel", "book")
    released = released_then_paused(monkeypatch, meeting, "cancel")

    def cancel() -> Booking:
        if by_host:
            return booking_cancel(
                booking_id=hers.pk, by_host=True, actor=therapist, block_time=True
            )
        return booking_cancel(booking_id=hers.pk)

    with time_machine.travel(NOW):
        outcomes = race(
            meeting, cancel=cancel, book=lambda: cara_books_with_the_number(released, meeting)
        )

    assert all(isinstance(outcome, Booking) for outcome in outcomes.values()), outcomes
    assert len(outcomes) == 2
    hers.refresh_from_db()
    assert hers.status == Booking.Status.CANCELLED
    [live] = live_for_number(NUMBER)
    assert live.email == "cara@example.com"
    assert live.held == Booking.Held.NO, "held for the cancelled consult: nobody would call her"
    assert BlockedPeriod.objects.filter(host=host).exists() == by_host


def test_the_host_cancels_and_blocks_a_consult_while_she_moves_it_without_a_deadlock(
    therapist, monkeypatch
):
    """She moves her consult while the host cancels it and keeps its time closed. The host's
    cancellation takes the host's row before the number's lock (as a booking does), and a move
    takes the host's row before the consult's row: whichever comes second waits, then works
    on what the first did (here the move wins and the host cancels the moved consult). With
    the move taking the consult's row first, they deadlocked (one of them a 500)."""
    host = host_create(therapist=therapist)
    practice_profile()
    hers = booking_add(host, day=5, hour=9, email="ann@example.com", phone=NUMBER)
    new_time = datetime(2030, 6, 6, 10, 0, tzinfo=NEW_YORK)
    meeting = Meeting("move", "cancel")
    check, lock = changes._check_sequence, changes.contacts_lock

    def check_after_meeting(booking: Booking, expected: int | None, *, by_host: bool) -> None:
        if threading.current_thread().name == "move":
            meeting.pause("move")  # holds her consult's row here
        check(booking, expected, by_host=by_host)

    def lock_then_meet(*, emails: Iterable[str] = (), phones: Iterable[str] = ()) -> None:
        lock(emails=emails, phones=phones)
        meeting.pause("cancel")  # holds the host's row and the number's lock here

    monkeypatch.setattr(changes, "_check_sequence", check_after_meeting)
    monkeypatch.setattr(changes, "contacts_lock", lock_then_meet)

    def cancel() -> Booking:
        meeting.arrived["move"].wait(30)
        return booking_cancel(booking_id=hers.pk, by_host=True, actor=therapist, block_time=True)

    with time_machine.travel(NOW):
        outcomes = race(
            meeting,
            move=lambda: booking_reschedule(booking_id=hers.pk, starts_at=new_time),
            cancel=cancel,
        )

    assert all(isinstance(outcome, Booking) for outcome in outcomes.values()), outcomes
    assert len(outcomes) == 2
    hers.refresh_from_db()
    assert (hers.status, hers.starts_at) == (Booking.Status.CANCELLED, new_time)
    [closed] = BlockedPeriod.objects.filter(host=host)
    assert closed.starts_at == new_time


def test_the_take_that_comes_second_gets_the_same_page_as_the_first(therapist, monkeypatch):
    """The two takes of the first test, from the offer page: each woman sees "your consult is
    now ..." (200), the one whose new time ended up held for the other's number too. The
    booking path never refuses a request whose number has a consult, and neither does the
    take that loses the race: its answer tells nothing about that number."""
    host = host_create(therapist=therapist)
    practice_profile()
    pages: dict[str, Client] = {}
    clock = time_machine.travel(NOW)
    clock.start()
    for name, hour in (("first", 9), ("second", 10)):
        mine = booking_add(
            host, day=10, hour=hour, email=f"{name}@example.com", phone=f"+1202555010{hour - 8}"
        )
        asked = booking_add(
            host, day=5, hour=hour, email=mine.email, phone=NUMBER, held="email", held_for=mine
        )
        client = Client()
        assert (
            client.get(f"/consults/held/link/{held_token(booking_id=asked.pk)}/").status_code == 302
        )
        pages[name] = client
    meeting = Meeting("first", "second")
    unheld_after_both_read(monkeypatch, meeting)
    try:
        outcomes = race(
            meeting,
            **{
                name: partial(client.post, "/consults/held/", TAKE)
                for name, client in pages.items()
            },
        )
    finally:
        clock.stop()

    answers = {}
    for name, hour in (("first", 9), ("second", 10)):
        response = outcomes[name]
        assert isinstance(response, HttpResponse), outcomes
        html = response.content.decode()
        main = " ".join(html[html.index("<main") : html.index("</main>")].split())
        answers[name] = (response.status_code, main.replace(f"{hour} a.m.", "<time>"))
    assert answers["first"] == answers["second"]
    assert answers["first"][0] == 200
    assert "Your consult is now" in answers["first"][1]
    assert 'role="alert"' not in answers["first"][1]
    assert len([b for b in live_for_number(NUMBER) if not b.is_held]) == 1


@pytest.mark.parametrize("first", ["take", "host"])
def test_the_host_cancels_and_blocks_her_consult_while_she_takes_her_new_time(
    therapist, monkeypatch, first: str
):
    """She takes her new time (which cancels her consult) while the host cancels that same
    consult and keeps its time closed. Whichever comes first, neither side gets a 500 (no
    deadlock): the one that comes second is told the consult is no longer booked, or her take
    goes on without cancelling it again; she is left with one real consult, the new time."""
    host = host_create(therapist=therapist)
    practice_profile()
    hers = booking_add(host, day=5, hour=9, email="ann@example.com", phone=NUMBER)
    asked = booking_add(
        host, day=7, hour=9, email=hers.email, phone="+12025550144", held="email", held_for=hers
    )
    second = "host" if first == "take" else "take"
    meeting = Meeting(first, second)
    first_in = threading.Event()
    cancelled = lifecycle.booking_cancelled

    def cancelled_then_wait(*, booking: Booking, by_host: bool) -> None:
        cancelled(booking=booking, by_host=by_host)
        if threading.current_thread().name == first:
            first_in.set()
            meeting.pause(first)

    monkeypatch.setattr(changes, "booking_cancelled", cancelled_then_wait)

    def run(name: str) -> object:
        if name == second:
            first_in.wait(30)
        try:
            if name == "take":
                return held_take(booking_id=asked.pk)
            return booking_cancel(
                booking_id=hers.pk, by_host=True, actor=therapist, block_time=True
            )
        finally:
            if name == second:
                meeting.pause(second)

    with time_machine.travel(NOW):
        outcomes = race(meeting, **{name: partial(run, name) for name in (first, second)})

    assert isinstance(outcomes["take"], Booking), outcomes
    host_outcome = outcomes["host"]
    assert isinstance(host_outcome, Booking) or "no longer booked" in str(host_outcome), outcomes
    hers.refresh_from_db()
    asked.refresh_from_db()
    assert hers.status == Booking.Status.CANCELLED
    assert (asked.status, asked.held) == (Booking.Status.CONFIRMED, Booking.Held.NO)
    assert BlockedPeriod.objects.filter(host=host).exists() == (first == "host")
