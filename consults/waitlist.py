"""The waitlist of full days: join, leave, and offers when a time frees up.

Rule: when a consult is cancelled or moved away, its old start is free again at once (the
constraints only count active bookings). Everyone waiting for that day (in her own time
zone; for that host, or for any host) who has not left is emailed at once, in the order they
joined, with a link to the booking page on that day. Booking is first come, first served; the
database's constraints keep it to one. Each person gets at most one email per freed time.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from consults import tokens
from consults.models import ConsultHost, WaitlistEntry
from practice.core.localtime import format_moment
from practice.outbox.services import email_queue


def waitlist_join(
    *, day: date, zone: ZoneInfo, name: str, email: str, host: ConsultHost | None = None
) -> WaitlistEntry:
    """Put ``email`` on the waitlist of ``day`` (a day in ``zone``); joining twice is one entry.

    Raises ValidationError for a day that has passed in ``zone``.
    """
    if day < timezone.now().astimezone(zone).date():
        raise ValidationError({"date": "That day has passed. Please pick a day ahead."})
    email = email.strip()
    live = WaitlistEntry.objects.filter(email__iexact=email, date=day, left_at__isnull=True)
    existing = live.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return WaitlistEntry.objects.create(
                host=host, date=day, time_zone=str(zone), name=name.strip(), email=email
            )
    except IntegrityError:
        return live.get()


def waitlist_leave(*, entry_id: int) -> WaitlistEntry | None:
    """Take an entry off the list (its "remove me" link); None when there is no such entry."""
    entry = WaitlistEntry.objects.filter(pk=entry_id).first()
    if entry is not None and entry.left_at is None:
        entry.left_at = timezone.now()
        entry.save(update_fields=["left_at"])
    return entry


def waitlist_booked(*, email: str, starts_at: datetime) -> None:
    """She booked: her live entries for that day (in each entry's zone) end."""
    for entry in WaitlistEntry.objects.filter(email__iexact=email, left_at__isnull=True):
        if starts_at.astimezone(ZoneInfo(str(entry.time_zone))).date() == entry.date:
            entry.left_at = timezone.now()
            entry.save(update_fields=["left_at"])


def waitlist_offer(*, host: ConsultHost, starts_at: datetime) -> int:
    """Email everyone waiting for the day of ``starts_at`` that it is free; returns how many.

    Call in the transaction that freed the time: the emails go out when it commits.
    """
    if starts_at <= timezone.now():
        return 0
    # A day in any zone on Earth is within 14 hours of the UTC day: a cheap first cut.
    utc_day = starts_at.astimezone(ZoneInfo("UTC")).date()
    near = [date.fromordinal(utc_day.toordinal() + d) for d in (-1, 0, 1)]
    entries = WaitlistEntry.objects.filter(
        Q(host=host) | Q(host__isnull=True), date__in=near, left_at__isnull=True
    ).order_by("created_at", "pk")
    sent = 0
    for entry in entries:
        zone = ZoneInfo(str(entry.time_zone))
        if starts_at.astimezone(zone).date() != entry.date:
            continue
        query = urlencode({"date": entry.date.isoformat(), "tz": str(zone)})
        email_queue(
            to=entry.email,
            template="consults/waitlist_offer",
            context={
                "name": entry.name.split()[0] if entry.name.split() else "",
                "when": format_moment(starts_at, zone=zone),
                "day": entry.date,
                "therapist": host.therapist,
                "book_url": f"{settings.SITE_URL}{reverse('consults:book')}?{query}",
                "leave_url": settings.SITE_URL
                + reverse(
                    "consults:waitlist_leave", args=[tokens.waitlist_token(entry_id=entry.pk)]
                ),
            },
            idempotency_key=f"consults/waitlist_offer:{entry.pk}:{starts_at.isoformat()}",
            private=True,
        )
        sent += 1
    return sent
