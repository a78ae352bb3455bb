"""The offer about a held consult, from the signed link in its email: no login.

As for the manage link, the token leaves the address bar at once (``held_link`` keeps the held
booking's id in the session and redirects to the clean ``held`` page); the answer is a POST
with the CSRF token from that page, never a GET (mail scanners open links).
"""

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from consults.held import held_token_read
from consults.held_changes import held_answered_as, held_existing_gone, held_keep, held_take
from consults.invites import booking_times
from consults.manage_views import link_limited
from consults.models import Booking
from consults.phones import phone_display
from practice.core.localtime import format_moment

#: The held booking opened from an emailed offer, kept in the session instead of the URL.
HELD_SESSION_KEY = "consults.held_booking_id"


@never_cache
def held_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a genuine token opens the offer; anything else says what to do."""
    limited = link_limited(request)
    if limited:
        return limited
    booking_id = held_token_read(token)
    if booking_id is None or not Booking.objects.filter(pk=booking_id).exists():
        return render(request, "consults/manage_invalid.html", status=404)
    request.session[HELD_SESSION_KEY] = booking_id
    return redirect("consults:held")


@never_cache
@require_http_methods(["GET", "POST"])
def held(request: HttpRequest) -> HttpResponse:
    """Both times side by side; "take the new time" or "keep my consult" (POST)."""
    booking_id = request.session.get(HELD_SESSION_KEY)
    booking = (
        Booking.objects.select_related("host__therapist", "held_for__host__therapist")
        .filter(pk=booking_id)
        .first()
        if isinstance(booking_id, int)
        else None
    )
    if booking is None:
        return render(request, "consults/manage_invalid.html", status=404)
    error, done, status = "", "", 200
    # Her consult as the offer named it: taking the new time may hold it for another
    # consult with its number, whose times must not show here.
    existing = booking.held_for if booking.held == Booking.Held.EMAIL else None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "take":
                booking = held_take(booking_id=booking.pk)
                done = "take"
            elif action == "keep":
                booking = held_keep(booking_id=booking.pk)
                done = "keep"
            else:
                error, status = "Please choose one of the two buttons.", 400
        except ValidationError as exc:
            booking = Booking.objects.select_related("host__therapist").get(pk=booking.pk)
            if exc.code == "answered" and held_answered_as(booking, action):
                done = action  # the same button pressed again: what the first press did
            else:
                error, status = " ".join(exc.messages), 409
    zone = ZoneInfo(str(existing.time_zone if existing else booking.time_zone))
    context = {
        "booking": booking,
        "existing": existing,
        "existing_gone": held_existing_gone(existing),
        "asked_when": format_moment(booking.starts_at, zone=zone),
        "asked_phone": phone_display(booking.phone),
        "existing_when": booking_times(existing).visitor if existing else "",
        "existing_phone": phone_display(existing.phone) if existing else "",
        "open": booking.held == Booking.Held.EMAIL
        and booking.status == Booking.Status.CONFIRMED
        and not done,
        "done": done,
        "error": error,
    }
    return render(request, "consults/held.html", context, status=status)
