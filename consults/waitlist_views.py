"""The waitlist of a full day: join from the booking page's link, leave from the email."""

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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
from consults.waitlist import waitlist_join, waitlist_leave

JOIN_RATE_LIMITS = {"waitlist_join": "10/m/ip,40/h/ip"}


class WaitlistForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    tz = forms.CharField(label="Time zone", max_length=64, widget=forms.HiddenInput)
    host = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Your name", max_length=150)
    email = forms.EmailField(label="Your email address", max_length=254)
    #: Left empty by people; bots fill every field. Moved off screen by CSS (consult-trap).
    website = forms.CharField(
        required=False,
        label="Leave this field empty",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_tz(self) -> str:
        name = self.cleaned_data["tz"]
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationError("Choose a time zone from the list.") from None
        return str(name)


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
            host = ConsultHost.objects.filter(pk=data["host"], is_active=True).first()
            try:
                waitlist_join(
                    day=data["date"],
                    zone=ZoneInfo(data["tz"]),
                    name=data["name"],
                    email=data["email"],
                    host=host,
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
