"""Writes of the consults app: booking a free consult.

No double booking, ever. ``booking_create`` checks the slot inside one transaction that first
locks the candidate hosts' rows (``SELECT ... FOR UPDATE``; on SQLite the write transaction
itself is serialised, ``BEGIN IMMEDIATE``), so two requests for one host are checked one
after the other and the daily cap holds under concurrency. The database backs that with a
unique constraint on active (host, start) and, on PostgreSQL, an exclusion constraint on the
buffered time range (``consults.models.bookings``): an insert that would overlap fails there
and is answered like a taken slot.

One upcoming free consult per email address or phone number, without telling anyone whether
an address or number has one (that a woman booked with a physical therapist is health
information). A request whose address or phone number matches an upcoming consult is booked
like any other: same answer, same work in the request, and its time is taken. But it is
*held* (``Booking.held``): nobody calls, the host sees it apart on her agenda and is not
notified, and what happens next is told only to mailboxes that already hold the consult
(``consults.lifecycle``):

- same address (``Held.EMAIL``): instead of the confirmation, the address is told about her
  consult and offered to take the new time instead or keep hers (``consults.held``).
- same phone number, another address (``Held.PHONE``): the address typed gets exactly what a
  new booking's address gets (confirmation, invite, reminders, working links), so she cannot
  tell; the address of the consult holding the number is told that a request came with her
  number, that hers stands and that nobody will call at the other time.

A held time is not released on a timer: a time taken and then freed again a little later
would tell whoever watches the slots that the address or number had a consult. It is freed
by the people entitled to: the mailbox owner ("keep my time"), the submitter (her cancel
link), or the host (cancel from the agenda).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from consults import lifecycle
from consults.models import Booking, Concern, ConsultHost
from consults.phones import phone_e164
from consults.selectors import slot_list
from consults.slots import FIRST_DAY, LAST_DAY, SLOT_MINUTES, Slot
from consults.zones import KNOWN_ZONES
from practice.core.localtime import format_moment

#: How far around a taken slot to look for the nearest free times, and how many to offer.
NEAREST_WINDOW = timedelta(days=7)
NEAREST_COUNT = 5
TAKEN_MESSAGE = "Sorry, that time was just taken. Please pick another time."


class SlotTaken(Exception):
    """The slot was free when shown but is not any more; ``nearest`` are free slots closest
    to it in time (sorted by start)."""

    def __init__(self, nearest: list[Slot]) -> None:
        super().__init__(TAKEN_MESSAGE)
        self.nearest = nearest


@dataclass(frozen=True)
class BookingRequest:
    """What a visitor sends: ``starts_at`` aware; ``time_zone`` an IANA name; ``phone`` as
    typed (stored E.164); ``host_id`` None for the first free host."""

    starts_at: datetime
    time_zone: str
    name: str
    email: str
    phone: str
    concern: str
    concern_detail: str
    consent: bool
    host_id: int | None = None


def booking_create(*, request: BookingRequest, now: datetime | None = None) -> Booking:
    """Book ``request``'s slot; one transaction, nothing saved on failure.

    Raises ``ValidationError`` with field errors (keys: ``start``, ``time_zone``, ``name``,
    ``email``, ``phone``, ``concern``, ``concern_detail``, ``consent``, ``host``) for bad
    input or a time that is not offered (past, misaligned, outside hours, within the notice,
    past the horizon, blocked), and ``SlotTaken`` when the time was offered but another
    booking has it (or the day reached its cap). A request whose address or phone number has
    an upcoming consult is booked held (module docstring), never refused: the answer is the
    same. After commit the lifecycle is told (``consults.lifecycle.booking_confirmed``: emails,
    reminders).
    """
    now = now or timezone.now()
    fields, errors = _clean_fields(request)
    hosts = _candidate_hosts(request.host_id)
    start_error = _start_error(request.starts_at, hosts=hosts, now=now)
    if start_error:
        errors["start"] = [start_error]
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            _lock(hosts, email=fields["email"], phone=fields["phone"])
            held, held_for = _upcoming_match(email=fields["email"], phone=fields["phone"], now=now)
            slot = _free_slot(request.starts_at, host_id=request.host_id, now=now)
            host = next(h for h in hosts if h.pk == slot.host_id)
            booking = Booking.objects.create(
                host=host,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                blocked_from=slot.starts_at - host.buffer_before,
                blocked_until=slot.ends_at + host.buffer_after,
                host_date=slot.starts_at.astimezone(host.zone).date(),
                consented_at=now,
                created_at=now,
                held=held,
                held_for=held_for,
                **fields,
            )
            transaction.on_commit(lambda: lifecycle.booking_confirmed(booking))
    except IntegrityError as exc:
        # The constraints caught what the lock did not (another path wrote a row).
        raise SlotTaken(nearest_free(request.starts_at, host_id=request.host_id, now=now)) from exc
    return booking


def nearest_free(
    moment: datetime,
    *,
    host_id: int | None = None,
    count: int = NEAREST_COUNT,
    now: datetime | None = None,
) -> list[Slot]:
    """Up to ``count`` free slots closest in time to ``moment`` (within a week), by start."""
    start, end = moment - NEAREST_WINDOW, moment + NEAREST_WINDOW
    search = slot_list(start=start, end=end, host_id=host_id, now=now)
    closest = sorted(search.slots, key=lambda slot: abs(slot.starts_at - moment))[:count]
    return sorted(closest)


def _clean_fields(request: BookingRequest) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    name = " ".join(request.name.split())
    if not name:
        errors["name"] = ["Enter your name."]
    elif len(name) > 150:
        errors["name"] = ["Use at most 150 characters for your name."]
    cleaned["name"] = name
    email = request.email.strip()
    try:
        validate_email(email)
        if len(email) > 254:
            raise ValidationError("too long")
    except ValidationError:
        errors["email"] = ["Enter a valid email address, e.g. name@example.com."]
    cleaned["email"] = email.lower()
    try:
        cleaned["phone"] = phone_e164(request.phone)
    except ValidationError as exc:
        errors["phone"] = list(exc.messages)
    if request.concern not in Concern.values:
        errors["concern"] = ["Choose what you would like to talk about."]
    cleaned["concern"] = request.concern
    detail = " ".join(request.concern_detail.split())
    if len(detail) > 300:
        errors["concern_detail"] = [
            "Use at most 300 characters; we can talk about more on the call."
        ]
    cleaned["concern_detail"] = detail
    if not request.consent:
        errors["consent"] = ["Please agree so that we may call you and keep your details for it."]
    if request.time_zone not in KNOWN_ZONES:
        errors["time_zone"] = ["Choose a time zone from the list, e.g. America/New_York."]
    cleaned["time_zone"] = request.time_zone
    return cleaned, errors


def _candidate_hosts(host_id: int | None) -> list[ConsultHost]:
    hosts = ConsultHost.objects.filter(is_active=True).select_related("therapist").order_by("pk")
    if host_id is not None:
        hosts = hosts.filter(pk=host_id)
    found = list(hosts)
    if not found:
        message = (
            "Choose a therapist from the list."
            if host_id is not None
            else ("Consults cannot be booked online at the moment. Please call us.")
        )
        raise ValidationError({"host" if host_id is not None else "start": [message]})
    return found


def _start_error(starts_at: datetime, *, hosts: list[ConsultHost], now: datetime) -> str:
    if starts_at.tzinfo is None or starts_at.utcoffset() is None:
        return "Give the time with its UTC offset."
    if not FIRST_DAY <= starts_at.date() <= LAST_DAY:
        return "That time is not offered. Please pick one of the times shown."
    if starts_at <= now:
        return "That time has already passed. Please pick another."
    aligned = (
        starts_at.second == 0
        and starts_at.microsecond == 0
        and any(starts_at.astimezone(host.zone).minute % SLOT_MINUTES == 0 for host in hosts)
    )
    if not aligned:
        return f"Consults start on the quarter hour ({SLOT_MINUTES}-minute steps)."
    return ""


def contacts_lock(*, emails: Iterable[str] = (), phones: Iterable[str] = ()) -> None:
    """Serialise, until the current transaction ends, every change that decides whether a
    booking with one of these addresses (stored lower case) or numbers (E.164) is held.

    PostgreSQL transaction-level advisory locks, one per address and per number, released at
    commit or rollback (on SQLite, nothing: the write transaction already excludes every other
    writer). Who takes them: ``booking_create`` (after its host rows), a cancellation
    (``consults.changes.booking_cancel``) and the answers to a held consult's offer
    (``consults.held_changes``), before any booking row. Deadlock-free as long as every
    transaction in the app keeps one order: host rows, then these, then booking rows; never a
    host row after these or after a booking row (a move, ``booking_reschedule``, locks the
    host's row before the consult's), and nothing that waits for a host row while holding
    these (an insert that references a host row waits for its lock: take that row first).
    Keys are taken in one global order (every address before every number, each sorted), so
    a caller may take addresses in one call and numbers in a later one. Must be called inside
    ``transaction.atomic``.
    """
    if connection.vendor != "postgresql":
        return
    keys = sorted({f"consult-email:{email}" for email in emails}) + sorted(
        {f"consult-phone:{phone}" for phone in phones}
    )
    with connection.cursor() as cursor:
        for key in keys:
            digest = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [digest])


def _lock(hosts: list[ConsultHost], *, email: str, phone: str) -> None:
    """Serialise bookings per host (the rows, in id order), then per email and phone number
    (``contacts_lock``)."""
    list(
        ConsultHost.objects.select_for_update().filter(pk__in=[h.pk for h in hosts]).order_by("pk")
    )
    contacts_lock(emails=[email], phones=[phone])


def _upcoming_match(*, email: str, phone: str, now: datetime) -> tuple[str, Booking | None]:
    """Whether a new booking is held, and for which upcoming consult (one query).

    Held consults count too: a second request from the address of a held one is answered as
    for any address with a consult (nothing tells her that her first one is held).
    """
    matches = list(
        Booking.objects.filter(
            Q(email=email) | Q(phone=phone), status=Booking.Status.CONFIRMED, ends_at__gt=now
        )
        .select_related("host__therapist")  # what her emails show, loaded in this one query
        .order_by("starts_at", "pk")
    )
    same_address = next((b for b in matches if b.email == email), None)
    if same_address is not None:
        return Booking.Held.EMAIL, same_address
    if matches:
        return Booking.Held.PHONE, matches[0]
    return Booking.Held.NO, None


def _free_slot(starts_at: datetime, *, host_id: int | None, now: datetime) -> Slot:
    end = starts_at + timedelta(seconds=1)
    free = slot_list(start=starts_at, end=end, host_id=host_id, now=now).slots
    if free:
        return free[0]
    if slot_list(start=starts_at, end=end, host_id=host_id, now=now, with_bookings=False).slots:
        raise SlotTaken(nearest_free(starts_at, host_id=host_id, now=now))
    raise ValidationError({"start": [_unavailable_message(starts_at, host_id=host_id)]})


def _unavailable_message(starts_at: datetime, *, host_id: int | None) -> str:
    hosts = ConsultHost.objects.select_related("therapist").filter(is_active=True)
    host = hosts.filter(pk=host_id).first() if host_id is not None else hosts.first()
    when = format_moment(starts_at, zone=host.zone) if host is not None else "that time"
    return f"Consults are not offered at {when}. Please pick one of the times shown."
