"""The waitlist of a full day: join from the booking page's link, leave from the email."""

import datetime as dt
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from allauth.core.internal import ratelimit
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from consults import tokens
from consults.manage_views import link_limited
from consults.models import ConsultHost
from consults.selectors import host_list
from consults.slots import FIRST_DAY, LAST_DAY
from consults.waitlist import waitlist_join, waitlist_leave
from consults.zones import KNOWN_ZONES
from practice.core.converters import database_id_parse

JOIN_RATE_LIMITS = {"waitlist_join": "10/m/ip,40/h/ip"}


class WaitlistForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    tz = forms.CharField(label="Time zone", max_length=64, widget=forms.HiddenInput)
    host = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Your email address", max_length=254)
    #: Left empty by people; bots fill every field. Moved off screen by CSS (consult-trap).
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_tz(self) -> str:
        name = str(self.cleaned_data["tz"])
        if name not in KNOWN_ZONES:  # not ZoneInfo(name): "America" is a folder, not a zone
            raise ValidationError("Choose a time zone from the list.")
        return name

    def clean_host(self) -> ConsultHost | None:
        """Empty for any host; else an active host's id (ASCII digits), or a field error."""
        raw = self.cleaned_data["host"]
        if not raw:
            return None
        host_id = database_id_parse(raw)
        host = host_list().filter(pk=host_id).first() if host_id is not None else None
        if host is None:
            raise ValidationError("This therapist does not take consults. Please book again.")
        return host

    def clean_date(self) -> dt.date:
        """A day within the calendar, and within the furthest booking horizon when someone
        takes consults (later days are never offered)."""
        day: dt.date = self.cleaned_data["date"]
        horizon = max((h.horizon_days for h in host_list()), default=None)
        last = LAST_DAY
        if horizon is not None:
            last = min(timezone.localdate() + timedelta(days=horizon + 1), LAST_DAY)
        if not FIRST_DAY <= day <= last:
            raise ValidationError(f"We book consults up to {last:%B %-d, %Y}. Pick a day before.")
        return day


@never_cache
def waitlist(request: HttpRequest) -> HttpResponse:
    """GET: the form for ``?date=&tz=&host=``; POST: join. The answer never says whether the
    address was already on the list."""
    if request.method == "POST":
        limited = ratelimit.consume_or_429(
            request, app="consults", action="waitlist_join", config=JOIN_RATE_LIMITS
        )
        if limited:
            return limited
        form = WaitlistForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                return render(request, "consults/waitlist_joined.html", {"day": data["date"]})
            try:
                waitlist_join(
                    day=data["date"],
                    zone=ZoneInfo(data["tz"]),
                    name=data["name"],
                    email=data["email"],
                    host=data["host"],
                )
            except ValidationError as exc:
                form.add_error("date", exc.message_dict.get("date", exc.messages))
            else:
                return render(request, "consults/waitlist_joined.html", {"day": data["date"]})
        return render(request, "consults/waitlist_join.html", {"form": form}, status=400)
    initial = {
        "date": _date_or_today(request.GET.get("date", "")),
        "tz": request.GET.get("tz", "") or str(timezone.get_current_timezone()),
        "host": request.GET.get("host") or None,
    }
    return render(request, "consults/waitlist_join.html", {"form": WaitlistForm(initial=initial)})


def _date_or_today(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return timezone.localdate()


@never_cache
def waitlist_leave_link(request: HttpRequest, token: str) -> HttpResponse:
    """The "take me off the waitlist" link: asks to confirm (mail scanners open links)."""
    limited = link_limited(request)
    if limited:
        return limited
    entry_id = tokens.waitlist_token_read(token)
    if entry_id is None:
        return render(request, "consults/waitlist_invalid.html", status=404)
    if request.method == "POST":
        waitlist_leave(entry_id=entry_id)
        return render(request, "consults/waitlist_left.html")
    return render(request, "consults/waitlist_leave.html")
