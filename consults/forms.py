"""The consult forms: the booking page's form (parsing and labels; the rules live in
``consults.services``) and the sequence that change forms carry."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django import forms

from consults.models import Concern
from consults.services import BookingRequest
from practice.core.timezones import TIME_ZONE_CHOICES

#: The honeypot field's name: people never see it, form-filling robots fill it in.
HONEYPOT = "website"


class BookingForm(forms.Form):
    """What the visitor types. ``start`` comes from the chosen time's radio button (ISO 8601
    with offset); ``tz`` and ``host`` from the hidden fields of the page she is on."""

    start = forms.CharField(required=False, widget=forms.HiddenInput)
    tz = forms.ChoiceField(choices=TIME_ZONE_CHOICES, widget=forms.HiddenInput)
    host = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    name = forms.CharField(label="Your name", max_length=150, required=False)
    email = forms.CharField(
        label="Your email address",
        max_length=254,
        required=False,
        help_text="We send the confirmation and a calendar invite here.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label="The phone number we should call",
        max_length=40,
        required=False,
        help_text="Add the country code for a number abroad, e.g. +44 20 7946 0018.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    concern = forms.ChoiceField(
        label="What would you like to talk about?",
        choices=[("", "Choose one"), *Concern.choices],
        required=False,
    )
    concern_detail = forms.CharField(
        label="In a sentence, what is going on? (optional)",
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
    )
    consent = forms.BooleanField(
        label="I agree that the therapist may call me at this number and that the practice "
        "keeps these details to arrange the consult.",
        required=False,
    )
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(HONEYPOT, ""))

    def booking_request(self) -> BookingRequest | None:
        """The service's input, or None with the form's errors set (only for unreadable
        values; the service checks the rest)."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        try:
            starts_at = datetime.fromisoformat(data["start"])
        except ValueError:
            self.add_error("start", "Choose one of the times shown.")
            return None
        return BookingRequest(
            starts_at=starts_at,
            time_zone=data["tz"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            concern=data["concern"],
            concern_detail=data["concern_detail"],
            consent=data["consent"],
            host_id=data["host"],
        )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Field errors from ``booking_create`` on this form's fields."""
        for field, messages in errors.items():
            name = {"time_zone": "tz"}.get(field, field)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def shown_sequence(data: Mapping[str, Any]) -> int:
    """The booking ``sequence`` that a manage or agenda page showed (its change forms carry it
    in a hidden field); -1, which no booking has, for a form without a number, so that such a
    form changes nothing (``consults.changes`` refuses it as changed)."""
    try:
        return int(data.get("sequence", ""))
    except (TypeError, ValueError):
        return -1
