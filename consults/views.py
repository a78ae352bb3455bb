"""The public booking page and its confirmation (no account needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from consults.forms import BookingForm
from consults.models import Booking, ConsultHost
from consults.phones import phone_display
from consults.ratelimits import booking_attempt_allowed
from consults.selectors import host_list, slot_list
from consults.services import SlotTaken, booking_create
from consults.slot_cache import clock_class, remember
from consults.slots import Slot
from consults.zones import KNOWN_ZONES
from practice.core.selectors import practice_zone
from practice.core.timezones import TIME_ZONE_CHOICES

#: The session key holding the uid of the booking just made, for the confirmation page.
BOOKED_SESSION_KEY = "consults:booked"


@dataclass(frozen=True)
class Day:
    """A day of the picker in the visitor's zone and its free slots."""

    date: date
    slots: list[Slot]


@never_cache
def book(request: HttpRequest) -> HttpResponse:
    """Pick a day and a time in your own zone, give your details, book (GET and POST)."""
    source = request.POST if request.method == "POST" else request.GET
    zone = _zone(source.get("tz", ""))
    hosts = list(host_list())
    host = _host(source.get("host", ""), hosts)
    form = BookingForm(request.POST if request.method == "POST" else None)
    nearest: list[Slot] = []
    taken = False
    status = 200
    if request.method == "POST":
        if not booking_attempt_allowed(request):
            return render(request, "consults/too_many.html", status=429)
        if form.is_robot:
            form.add_error(None, "Your request could not be sent. Please call us to book.")
            status = 400
        elif (booking_request := form.booking_request()) is not None:
            try:
                booking = booking_create(request=booking_request)
            except ValidationError as exc:
                form.add_service_errors(exc.message_dict)
            except SlotTaken as exc:
                taken, nearest = True, exc.nearest
            else:
                request.session[BOOKED_SESSION_KEY] = str(booking.uid)
                return redirect("consults:booked")
        status = status if status != 200 else (409 if taken else 400)
    days = _days(hosts, host, zone)
    chosen = _chosen_day(source.get("date", ""), days)
    context = {
        "zone": zone,
        "zone_name": str(zone.key),
        "zone_choices": TIME_ZONE_CHOICES,
        "hosts": hosts,
        "host": host,
        "days": days,
        "day": chosen,
        "asked_date": source.get("date", ""),
        "waitlist_date": _waitlist_date(source.get("date", ""), chosen, zone),
        "form": form,
        "taken": taken,
        "nearest": nearest,
        "chosen_start": source.get("start", "") if request.method == "POST" else "",
        # The script switches to the browser's zone on a first visit with times to show.
        "auto_zone": request.method == "GET" and "tz" not in request.GET and bool(days),
        "horizon_days": max((h.horizon_days for h in hosts), default=0),
    }
    return render(request, "consults/book.html", context, status=status)


@never_cache
def booked(request: HttpRequest) -> HttpResponse:
    """The confirmation of the booking this browser just made; elsewhere, the booking page."""
    uid = request.session.get(BOOKED_SESSION_KEY)
    booking = (
        Booking.objects.select_related("host__therapist").filter(uid=uid).first() if uid else None
    )
    if booking is None:
        return redirect("consults:book")
    context = {
        "booking": booking,
        "zone": ZoneInfo(booking.time_zone),
        "phone": phone_display(booking.phone),
    }
    return render(request, "consults/booked.html", context)


def _zone(name: str) -> ZoneInfo:
    """The visitor's chosen zone, else the practice's (the browser script fills in hers)."""
    if name in KNOWN_ZONES:
        return ZoneInfo(name)
    return practice_zone()


def _host(raw: str, hosts: list[ConsultHost]) -> ConsultHost | None:
    return next((h for h in hosts if str(h.pk) == raw), None)


def _days(hosts: list[ConsultHost], host: ConsultHost | None, zone: ZoneInfo) -> list[Day]:
    """Every day with a free slot, from now to the furthest horizon, in the visitor's zone."""
    if not hosts:
        return []
    now = timezone.now()
    host_id = host.pk if host else None

    def compute() -> list[Day]:
        horizon = max(h.horizon_days for h in ([host] if host else hosts))
        end = now + timedelta(days=horizon + 1)
        search = slot_list(start=now, end=end, host_id=host_id, now=now)

        def local_day(slot: Slot) -> date:
            return slot.starts_at.astimezone(zone).date()

        return [Day(day, list(slots)) for day, slots in groupby(search.slots, key=local_day)]

    # The window starts at now, but only notice and horizon cut it: one answer per clock class.
    return remember(("page-days", host_id, str(zone.key), clock_class(now)), compute)


def _waitlist_date(raw: str, chosen: Day | None, zone: ZoneInfo) -> date | None:
    """The asked day, when it has no free time left and is still ahead (a full day)."""
    try:
        asked = date.fromisoformat(raw) if raw and chosen is None else None
    except ValueError:
        return None
    today = timezone.now().astimezone(zone).date()
    return asked if asked is not None and asked >= today else None


def _chosen_day(raw: str, days: list[Day]) -> Day | None:
    try:
        asked = date.fromisoformat(raw) if raw else None
    except ValueError:
        asked = None
    if asked is None:
        return days[0] if days else None
    return next((day for day in days if day.date == asked), None)
