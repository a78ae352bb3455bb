"""The visitor's own consult, from the signed link in her emails: no login.

The link's token leaves the address bar at once: ``manage_link`` checks it, keeps the
booking's id in the session and redirects to the clean ``manage`` page. Reschedule and cancel
are POSTs with the CSRF token from that page.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from allauth.core.internal import ratelimit
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from consults import tokens
from consults.changes import CHANGE_CUTOFF, booking_cancel, booking_reschedule, change_allowed
from consults.forms import shown_sequence
from consults.invites import booking_times
from consults.models import Booking
from consults.phones import phone_display
from consults.selectors import slot_list
from consults.services import SlotTaken
from consults.slots import LAST_DAY, local_day_bounds
from practice.core.localtime import format_moment

#: The booking opened from an emailed link, kept in the session instead of the URL.
MANAGE_SESSION_KEY = "consults.manage_booking_id"
LINK_RATE_LIMITS = {"consult_link": "30/m/ip"}


def link_limited(request: HttpRequest) -> HttpResponse | None:
    return ratelimit.consume_or_429(
        request,
        app="consults",
        action="consult_link",
        config=LINK_RATE_LIMITS,
        limit_get=True,
    )


@never_cache
def manage_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a genuine token opens the page; anything else says what to do."""
    limited = link_limited(request)
    if limited:
        return limited
    link = tokens.manage_token_read(token)
    booking = Booking.objects.filter(pk=link.booking_id).first() if link else None
    if link is None or booking is None:
        return render(request, "consults/manage_invalid.html", status=404)
    request.session[MANAGE_SESSION_KEY] = booking.pk
    confirmed = booking.status == Booking.Status.CONFIRMED
    if confirmed and link.sequence is not None and booking.sequence > link.sequence:
        messages.info(
            request,
            "Your consult has been moved since that email was sent. "
            "The time on this page is the current one.",
        )
    return redirect("consults:manage")


def _session_booking(request: HttpRequest) -> Booking | None:
    booking_id = request.session.get(MANAGE_SESSION_KEY)
    if not isinstance(booking_id, int):
        return None
    return Booking.objects.select_related("host__therapist").filter(pk=booking_id).first()


@never_cache
def manage(request: HttpRequest) -> HttpResponse:
    """Her consult: when, who calls which number; reschedule (pick a day, then a time) or
    cancel while allowed; past the cut-off, the practice's phone number instead.

    The times offered leave her own consult out of the busy times (as the reschedule service
    does), so the times just around it are offered too; her current time is not."""
    booking = _session_booking(request)
    if booking is None:
        return render(request, "consults/manage_invalid.html", status=404)
    zone = ZoneInfo(str(booking.time_zone))
    day = _day_param(request, default=booking.starts_at.astimezone(zone).date(), zone=zone)
    allowed = change_allowed(booking=booking)
    slots = []
    if allowed:
        start, end = local_day_bounds(day, zone)
        search = slot_list(
            start=start, end=end, host_id=booking.host_id, exclude_booking_id=booking.pk
        )
        slots = [
            {"value": s.starts_at.isoformat(), "label": format_moment(s.starts_at, zone=zone)}
            for s in search.slots
            if s.starts_at != booking.starts_at
        ]
    return render(
        request,
        "consults/manage.html",
        {
            "booking": booking,
            "when": booking_times(booking).visitor,
            "phone": phone_display(booking.phone),
            "allowed": allowed,
            "started": booking.starts_at <= timezone.now(),
            "cutoff_hours": int(CHANGE_CUTOFF.total_seconds() // 3600),
            "day": day,
            "zone": zone,
            "slots": slots,
        },
    )


def _day_param(request: HttpRequest, *, default: date, zone: ZoneInfo) -> date:
    raw = request.GET.get("date", "")
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return default
    today = timezone.now().astimezone(zone).date()
    return day if today <= day <= LAST_DAY else today


@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    booking = _session_booking(request)
    if booking is None:
        return render(request, "consults/manage_invalid.html", status=404)
    try:
        booking_cancel(booking_id=booking.pk, expected_sequence=shown_sequence(request.POST))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("consults:manage")
    messages.success(request, "Your consult is cancelled. We have emailed you to confirm.")
    return redirect("consults:manage")


@require_POST
def reschedule(request: HttpRequest) -> HttpResponse:
    booking = _session_booking(request)
    if booking is None:
        return render(request, "consults/manage_invalid.html", status=404)
    try:
        starts_at = datetime.fromisoformat(request.POST.get("start", ""))
    except ValueError:
        messages.error(request, "Please pick one of the times shown.")
        return redirect("consults:manage")
    try:
        moved = booking_reschedule(
            booking_id=booking.pk,
            starts_at=starts_at,
            expected_sequence=shown_sequence(request.POST),
        )
    except SlotTaken:
        messages.error(request, "Sorry, that time was just taken. Please pick another time.")
        return redirect("consults:manage")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("consults:manage")
    messages.success(
        request,
        f"Your consult is now at {booking_times(moved).visitor}. "
        "We have emailed you the updated invite.",
    )
    return redirect("consults:manage")
