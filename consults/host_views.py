"""The host's pages: agenda (day and week), one consult, blocked time, her calendar feed."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST, require_safe

from consults import agenda
from consults.calendar import feed_ics
from consults.changes import booking_cancel
from consults.forms import shown_sequence
from consults.invites import host_feed_event
from consults.models import Booking, ConsultHost
from consults.phones import phone_display
from consults.slots import FIRST_DAY, LAST_DAY
from practice.accounts.decorators import therapist_profile_required
from practice.accounts.models import TherapistProfile, User
from practice.core.localtime import format_moment

#: The feed URL made last, shown once on the feed page (only its hash is stored).
FEED_TOKEN_SESSION_KEY = "consults.new_feed"  # noqa: S105 (a session key, not a secret)


def _host(therapist: TherapistProfile) -> ConsultHost | None:
    return ConsultHost.objects.select_related("therapist").filter(therapist=therapist).first()


def _user(request: HttpRequest) -> User:
    """The signed-in therapist (the decorators let no one else in)."""
    return cast(User, request.user)


def _not_host(request: HttpRequest) -> HttpResponse:
    return render(request, "consults/not_host.html", status=403)


class BlockForm(forms.Form):
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label="From", widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label="Until", widget=forms.TimeInput(attrs={"type": "time"}))
    reason = forms.CharField(label="Reason (only you see it)", max_length=200, required=False)

    def clean_day(self) -> date:
        day = cast(date, self.cleaned_data["day"])
        if not FIRST_DAY <= day <= LAST_DAY:
            raise forms.ValidationError("Give a day within the calendar.")
        return day


class NoteForm(forms.Form):
    text = forms.CharField(label="Private note", max_length=5000, widget=forms.Textarea)


@therapist_profile_required
@require_GET
def agenda_page(request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    """``?date=YYYY-MM-DD`` (her local day, default today) and ``?view=week`` (Monday-based)."""
    host = _host(therapist)
    if host is None:
        return _not_host(request)
    zone = host.zone
    today = timezone.now().astimezone(zone).date()
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = today
    if not FIRST_DAY <= day <= LAST_DAY:
        day = today
    week = request.GET.get("view") == "week"
    first = day - timedelta(days=day.weekday()) if week else day
    days = agenda.agenda_list(
        host=host, first_day=first, days=7 if week else 1, actor=_user(request), request=request
    )
    step = timedelta(days=7 if week else 1)
    rows = [
        {
            "day": d.day,
            "bookings": [_row(b, zone=zone) for b in d.bookings],
        }
        for d in days
    ]
    return render(
        request,
        "consults/agenda.html",
        {
            "host": host,
            "zone_name": str(zone),
            "week": week,
            "first": first,
            "last": first + timedelta(days=len(days) - 1),
            "days": rows,
            "previous": first - step,
            "next": first + step,
            "today": today,
            "block_form": BlockForm(initial={"day": day}),
            "blocked": [
                {
                    "period": period,
                    "label": f"{format_moment(period.starts_at, zone=zone)} until "
                    f"{format_moment(period.ends_at, zone=zone)}",
                }
                for period in agenda.blocked_list(host=host, first_day=first, days=len(days))
            ],
        },
    )


def _row(booking: Booking, *, zone: Any) -> dict[str, Any]:
    return {
        "booking": booking,
        "when": format_moment(booking.starts_at, zone=zone),
        "clock": format_moment(booking.starts_at, zone=zone).split(" on ")[0],
        "phone": phone_display(booking.phone),
        "phone_href": "tel:" + booking.phone,
        "started": booking.starts_at <= timezone.now(),
    }


@therapist_profile_required
def booking_page(
    request: HttpRequest, therapist: TherapistProfile, booking_id: int
) -> HttpResponse:
    """One consult: details, private notes (add one), marks, cancel."""
    host = _host(therapist)
    if host is None:
        return _not_host(request)
    form = NoteForm()
    if request.method == "POST":
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                agenda.note_add(
                    host=host,
                    booking_id=booking_id,
                    author=_user(request),
                    text=form.cleaned_data["text"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error("text", exc.message_dict.get("text", exc.messages))
            else:
                messages.success(request, "Note saved.")
                return redirect("consults:agenda_booking", booking_id=booking_id)
    booking = agenda.booking_get(
        host=host, booking_id=booking_id, actor=_user(request), request=request
    )
    return render(
        request,
        "consults/agenda_booking.html",
        {
            "row": _row(booking, zone=host.zone),
            "booking": booking,
            "notes": [
                {"note": n, "when": format_moment(n.created_at, zone=host.zone)}
                for n in booking.note_list  # type: ignore[attr-defined]
            ],
            "form": form,
            "marks": agenda.MARKS,
        },
        status=400 if form.errors else 200,
    )


@therapist_profile_required
@require_POST
def booking_mark(
    request: HttpRequest, therapist: TherapistProfile, booking_id: int
) -> HttpResponse:
    host = _host(therapist)
    if host is None:
        return _not_host(request)
    try:
        agenda.booking_mark(
            host=host,
            booking_id=booking_id,
            status=request.POST.get("status", ""),
            actor=_user(request),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Consult marked.")
    return redirect("consults:agenda_booking", booking_id=booking_id)


@therapist_profile_required
@require_POST
def booking_cancel_by_host(
    request: HttpRequest, therapist: TherapistProfile, booking_id: int
) -> HttpResponse:
    host = _host(therapist)
    if host is None:
        return _not_host(request)
    if not Booking.objects.filter(pk=booking_id, host=host).exists():
        raise Http404("No such consult.")
    try:
        booking_cancel(
            booking_id=booking_id,
            by_host=True,
            actor=_user(request),
            request=request,
            expected_sequence=shown_sequence(request.POST),
            block_time=request.POST.get("block_time") == "on",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        closed = " The time stays closed to new bookings." if request.POST.get("block_time") else ""
        messages.success(request, f"Consult cancelled; we have emailed the visitor.{closed}")
    return redirect("consults:agenda_booking", booking_id=booking_id)


@therapist_profile_required
@require_POST
def time_block(request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    host = _host(therapist)
    if host is None:
        return _not_host(request)
    form = BlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the day and the times to block.")
        return redirect("consults:agenda")
    data = form.cleaned_data
    try:
        starts_at = _local(data["day"], data["starts"], host)
        ends_at = _local(data["day"], data["ends"], host)
        _, still_booked = agenda.time_block(
            host=host, starts_at=starts_at, ends_at=ends_at, reason=data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        note = (
            f" {still_booked} consult(s) already booked in that time stay booked; "
            "cancel them from the agenda if need be."
            if still_booked
            else ""
        )
        messages.success(
            request,
            f"Blocked {format_moment(starts_at, zone=host.zone)} until "
            f"{format_moment(ends_at, zone=host.zone)}.{note}",
        )
    return redirect(f"{reverse('consults:agenda')}?date={data['day'].isoformat()}")


@therapist_profile_required
@require_POST
def time_unblock(request: HttpRequest, therapist: TherapistProfile, period_id: int) -> HttpResponse:
    host = _host(therapist)
    if host is None:
        return _not_host(request)
    period = agenda.time_unblock(host=host, period_id=period_id)
    messages.success(request, "That time is open for consults again.")
    day = period.starts_at.astimezone(host.zone).date()
    return redirect(f"{reverse('consults:agenda')}?date={day.isoformat()}")


def _local(day: date, clock: time, host: ConsultHost) -> datetime:
    """``day`` at ``clock`` in the host's zone; a time that the clocks skip is refused."""
    moment = datetime.combine(day, clock, tzinfo=host.zone)
    if moment.astimezone(UTC).astimezone(host.zone).replace(tzinfo=None) != (
        moment.replace(tzinfo=None)
    ):
        raise ValidationError(f"{clock:%H:%M} does not exist on {day} (the clocks change).")
    return moment


@therapist_profile_required
def feed_page(request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    """Her private calendar feed: make a new URL (the old one stops) or turn it off."""
    host = _host(therapist)
    if host is None:
        return _not_host(request)
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            agenda.feed_revoke(host=host)
            messages.success(request, "Your calendar feed is off; the old address shows nothing.")
        else:
            token = agenda.feed_create(host=host)
            request.session[FEED_TOKEN_SESSION_KEY] = token
            messages.success(request, "Your new calendar feed address is below.")
        return redirect("consults:feed")
    token = request.session.pop(FEED_TOKEN_SESSION_KEY, None)
    feed_url = (
        request.build_absolute_uri(reverse("consults:feed_ics", args=[token])) if token else ""
    )
    return render(
        request,
        "consults/feed.html",
        {"live": agenda.feed_live(host=host), "feed_url": feed_url},
    )


@never_cache
@require_safe
def feed_ics_view(request: HttpRequest, token: str) -> HttpResponse:
    """The feed calendars subscribe to (no login: the secret URL is the key)."""
    found = agenda.feed_bookings(token=token)
    if found is None:
        return HttpResponse(
            "Unknown or revoked calendar feed.", status=404, content_type="text/plain"
        )
    host, bookings = found
    body = feed_ics(
        [host_feed_event(b) for b in bookings],
        name=f"Consults: {host.therapist.display_name}",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="consults.ics"'
    return response
