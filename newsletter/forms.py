"""The newsletter's forms: sign-up, "send me a fresh link", preferences."""

from typing import Any

from django import forms

from newsletter import consent
from newsletter.models import Tag
from newsletter.selectors import tag_public_list


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS, skipped by keyboard and screen readers) and
    bots fill in. A filled-in form is answered as if it worked, and nothing is done."""

    website = forms.CharField(required=False, label="Leave this field empty")

    def is_bot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class SignupForm(HoneypotMixin):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(
        label="Your first name (optional)",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    consent = forms.BooleanField(
        label=consent.CURRENT.text,
        error_messages={"required": "Please tick the box to say yes: we only email people who do."},
    )
    consent_version = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_version"].initial = consent.CURRENT.version


class LinkRequestForm(HoneypotMixin):
    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PreferencesForm(forms.Form):
    tags = forms.ModelMultipleChoiceField(
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Topics I would like to hear about",
    )
    paused = forms.BooleanField(
        required=False, label="Pause the newsletter for now (you stay on the list)"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = tag_public_list()  # type: ignore[attr-defined]


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, delete everything you hold about me",
        error_messages={"required": "Please tick the box to confirm."},
    )
