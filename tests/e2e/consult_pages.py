"""Consult pages for the accessibility scan: each reached the way a person reaches it."""

from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from consults import tokens
from consults.changes import booking_cancel
from consults.held import held_token
from consults.models import Booking, BookingPatient, ConsultHost
from practice.accounts.models import User
from tests.consults.conftest import host_create
from tests.consults.test_agenda import consult

Scenario = Callable[[Page, User, User], None]


def next_weekday_at(host: ConsultHost, clock: time, days: int = 2) -> datetime:
    day = timezone.now().astimezone(host.zone).date() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day, clock, tzinfo=host.zone)


def booked(therapist: User, *, soon: bool = False) -> Booking:
    """A host (the therapist) and one consult with her: in 1 hour when ``soon``."""
    host = host_create(therapist=therapist)
    if soon:
        start = (timezone.now() + timedelta(hours=1)).replace(second=0, microsecond=0)
        start -= timedelta(minutes=start.minute % 15)
        return consult(host, start)
    return consult(host, next_weekday_at(host, time(10)))


def manage(*, soon: bool = False) -> Scenario:
    def scenario(page: Page, therapist: User, patient: User) -> None:
        booking = booked(therapist, soon=soon)
        page.goto(f"/consults/manage/link/{tokens.manage_token(booking_id=booking.pk)}/")

    return scenario


def cancelled(page: Page, therapist: User, patient: User) -> None:
    booking = booked(therapist)
    page.goto(f"/consults/manage/link/{tokens.manage_token(booking_id=booking.pk)}/")
    page.locator("main").get_by_role("button", name="Cancel my consult").click()


def held(therapist: User) -> Booking:
    """A consult and a second request from its address, held (``consults.services``)."""
    first = booked(therapist)
    start = next_weekday_at(first.host, time(11))
    return consult(first.host, start, held=Booking.Held.EMAIL, held_for=first)


def held_offer(page: Page, therapist: User, patient: User) -> None:
    page.goto(f"/consults/held/link/{held_token(booking_id=held(therapist).pk)}/")
    expect(page.get_by_role("button", name="Keep my consult")).to_be_visible()


def held_offer_after_cancel(page: Page, therapist: User, patient: User) -> None:
    """The offer once her consult was cancelled from its own link: take the new time or free it."""
    booking = held(therapist)
    hers = booking.held_for
    assert hers is not None
    booking_cancel(booking_id=hers.pk)
    page.goto(f"/consults/held/link/{held_token(booking_id=booking.pk)}/")
    expect(page.get_by_role("button", name="No, free that time")).to_be_visible()


def held_on_agenda(login: Callable[[Page, User], None]) -> Scenario:
    def scenario(page: Page, therapist: User, patient: User) -> None:
        booking = held(therapist)
        login(page, therapist)
        page.goto(f"/consults/agenda/?date={booking.host_date.isoformat()}")
        expect(page.get_by_text("Held, do not call")).to_be_visible()

    return scenario


def waitlist(page: Page, therapist: User, patient: User) -> None:
    host = host_create(therapist=therapist)
    day = next_weekday_at(host, time(10)).date()
    page.goto(f"/consults/waitlist/?date={day.isoformat()}&tz=America/New_York")


def waitlist_errors(page: Page, therapist: User, patient: User) -> None:
    waitlist(page, therapist, patient)
    page.locator("main form").first.evaluate("form => { form.noValidate = true; }")
    page.locator("main").get_by_role("button", name="Join the waitlist").click()


def as_host(path: str, login: Callable[[Page, User], None]) -> Scenario:
    def scenario(page: Page, therapist: User, patient: User) -> None:
        booking = booked(therapist)
        login(page, therapist)
        page.goto(path.format(id=booking.pk, date=booking.host_date.isoformat()))

    return scenario


def my_consults(login: Callable[[Page, str], None]) -> Scenario:
    def scenario(page: Page, therapist: User, patient: User) -> None:
        booking = booked(therapist)
        BookingPatient.objects.create(booking=booking, patient=patient)
        login(page, patient.email)
        page.goto("/consults/mine/")

    return scenario


def consult_pages(
    *, therapist_login: Callable[[Page, User], None], patient_login: Callable[[Page, str], None]
) -> dict[str, Scenario]:
    return {
        "visitor-consult-manage": manage(),
        "visitor-consult-manage-too-late": manage(soon=True),
        "visitor-consult-manage-cancelled": cancelled,
        "visitor-consult-manage-link-not-valid": lambda page, *_: page.goto(
            "/consults/manage/link/not-a-token/"
        ),
        "visitor-consult-held-offer": held_offer,
        "visitor-consult-held-offer-after-cancel": held_offer_after_cancel,
        "visitor-consult-waitlist": waitlist,
        "visitor-consult-waitlist-errors": waitlist_errors,
        "therapist-consult-agenda": as_host("/consults/agenda/?date={date}", therapist_login),
        "therapist-consult-agenda-week": as_host(
            "/consults/agenda/?date={date}&view=week", therapist_login
        ),
        "therapist-consult-agenda-held": held_on_agenda(therapist_login),
        "therapist-consult-detail": as_host("/consults/agenda/{id}/", therapist_login),
        "therapist-consult-feed": as_host("/consults/agenda/feed/", therapist_login),
        "patient-my-consults": my_consults(patient_login),
    }
