"""A patient's consults: confirming that a consult is hers, and her list in the portal."""

from typing import cast
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from consults.changes import change_allowed
from consults.invites import manage_url
from consults.manage_views import link_limited
from consults.patients import (
    patient_consult_list,
    patient_link_by_ids,
    patient_link_confirm,
    patient_link_read,
)
from consults.phones import phone_display
from practice.accounts.decorators import patient_required
from practice.accounts.models import User
from practice.core.localtime import format_moment

#: [booking id, patient id] of the link being confirmed, kept in the session, not the URL.
LINK_SESSION_KEY = "consults.patient_link"


@never_cache
def patient_link(request: HttpRequest, token: str) -> HttpResponse:
    limited = link_limited(request)
    if limited:
        return limited
    found = patient_link_read(token)
    if found is None:
        return render(request, "consults/patient_link_invalid.html", status=404)
    booking, patient = found
    request.session[LINK_SESSION_KEY] = [booking.pk, patient.pk]
    return redirect("consults:patient_link_confirm")


@never_cache
def patient_link_confirm_page(request: HttpRequest) -> HttpResponse:
    """Asks her to say yes (a POST: mail scanners open links but do not press buttons)."""
    ids = request.session.get(LINK_SESSION_KEY)
    found = (
        patient_link_by_ids(booking_id=ids[0], patient_id=ids[1])
        if isinstance(ids, list) and len(ids) == 2
        else None
    )
    if found is None:
        return render(request, "consults/patient_link_invalid.html", status=404)
    booking, patient = found
    zone = ZoneInfo(str(booking.time_zone))
    if request.method == "POST":
        patient_link_confirm(booking=booking, patient=patient)
        del request.session[LINK_SESSION_KEY]
        return render(request, "consults/patient_link_done.html")
    return render(
        request,
        "consults/patient_link_confirm.html",
        {"when": format_moment(booking.starts_at, zone=zone), "booking": booking},
    )


@patient_required
def my_consults(request: HttpRequest) -> HttpResponse:
    patient = cast(User, request.user)
    zone = (
        ZoneInfo(str(patient.patient_profile.time_zone))
        if hasattr(patient, "patient_profile")
        else timezone.get_current_timezone()
    )
    now = timezone.now()
    rows = [
        {
            "booking": booking,
            "when": format_moment(booking.starts_at, zone=zone),
            "phone": phone_display(booking.phone),
            "upcoming": booking.starts_at > now,
            "manage_url": manage_url(booking) if change_allowed(booking=booking) else "",
        }
        for booking in patient_consult_list(patient=patient)
    ]
    return render(request, "consults/my_consults.html", {"rows": rows})
