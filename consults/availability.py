"""The host's own availability: her booking rules, weekly hours, date overrides and blocked
periods, edited on one page (``availability_views``) and saved in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.db import transaction
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone

from consults.models import BlockedPeriod, ConsultHost, DateOverride, WeeklyHours
from consults.slots import FIRST_DAY, LAST_DAY
from practice.accounts.models import TherapistProfile

TIME_INPUT = forms.TimeInput(format="%H:%M", attrs={"type": "time"})
DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
MOMENT_INPUT = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


class HostRulesForm(forms.ModelForm):
    class Meta:
        model = ConsultHost
        fields = [
            "is_active", "buffer_before_minutes", "buffer_after_minutes",
            "minimum_notice_minutes", "horizon_days", "daily_cap",
        ]  # fmt: skip


class RangesFormSet(BaseInlineFormSet):
    """Ranges that do not overlap within one day (``day_field``: "weekday" or "date")."""

    day_field = "weekday"

    def clean(self) -> None:
        super().clean()
        seen: dict[Any, list[tuple[Any, Any]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("starts") or not data.get("ends"):
                continue
            day, new = data.get(self.day_field), (data["starts"], data["ends"])
            if any(new[0] < ends and starts < new[1] for starts, ends in seen.get(day, [])):
                form.add_error("starts", "This range overlaps another one on the same day.")
            seen.setdefault(day, []).append(new)


class OverridesFormSet(RangesFormSet):
    day_field = "date"


class DateOverrideForm(forms.ModelForm):
    """A date override: a day from today (in her zone: the page runs under it) to the
    calendar's last day; a past day would be saved and never shown again."""

    def clean_date(self) -> date:
        day: date = self.cleaned_data["date"]
        if day != self.initial.get("date") and not timezone.localdate() <= day <= LAST_DAY:
            raise forms.ValidationError("Give a day from today on, within the calendar.")
        return day


WeeklyHoursFormSet = inlineformset_factory(
    ConsultHost,
    WeeklyHours,
    formset=RangesFormSet,
    fields=["weekday", "starts", "ends"],
    widgets={"starts": TIME_INPUT, "ends": TIME_INPUT},
    labels={"starts": "From", "ends": "Until"},
    extra=2,
    can_delete=True,
)
DateOverrideFormSet = inlineformset_factory(
    ConsultHost,
    DateOverride,
    form=DateOverrideForm,
    formset=OverridesFormSet,
    fields=["date", "starts", "ends"],
    widgets={"date": DATE_INPUT, "starts": TIME_INPUT, "ends": TIME_INPUT},
    labels={"starts": "From", "ends": "Until"},
    extra=1,
    can_delete=True,
)


class BlockedPeriodForm(forms.ModelForm):
    """A blocked period; its moments must have a UTC instant (not the calendar's far ends)."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        for field in ("starts_at", "ends_at"):
            moment = cleaned.get(field)
            if moment is not None and not FIRST_DAY <= moment.date() <= LAST_DAY:
                self.add_error(field, "Give a day within the calendar.")
        return cleaned


BlockedPeriodFormSet = inlineformset_factory(
    ConsultHost,
    BlockedPeriod,
    form=BlockedPeriodForm,
    fields=["starts_at", "ends_at", "reason"],
    widgets={"starts_at": MOMENT_INPUT, "ends_at": MOMENT_INPUT},
    labels={"starts_at": "From", "ends_at": "Until", "reason": "Reason (only you see it)"},
    extra=1,
    can_delete=True,
)


def host_get_or_create(*, therapist: TherapistProfile) -> ConsultHost:
    """Her host record, made (not taking consults, no hours yet) on her first visit."""
    host, _ = ConsultHost.objects.select_related("therapist").get_or_create(
        therapist=therapist, defaults={"is_active": False}
    )
    return host


def availability_forms(
    *, host: ConsultHost, data: Any = None, today: date
) -> tuple[HostRulesForm, list[BaseInlineFormSet[Any, Any, Any]]]:
    """The page's form and formsets (past overrides and blocked periods left out)."""
    rules = HostRulesForm(data, instance=host, prefix="rules")
    formsets: list[BaseInlineFormSet[Any, Any, Any]] = [
        WeeklyHoursFormSet(data, instance=host, prefix="weekly"),
        DateOverrideFormSet(
            data,
            instance=host,
            prefix="overrides",
            queryset=DateOverride.objects.filter(host=host, date__gte=today),
        ),
        BlockedPeriodFormSet(
            data,
            instance=host,
            prefix="blocked",
            queryset=BlockedPeriod.objects.filter(host=host, ends_at__date__gte=today),
        ),
    ]
    return rules, formsets


def availability_save(*, rules: HostRulesForm, formsets: Sequence[BaseInlineFormSet]) -> None:
    """Save her rules and every range in one transaction (all valid, or nothing saved).

    Bookings already made stay as they are: changed hours only change what is offered next.
    """
    with transaction.atomic():
        rules.save()
        for formset in formsets:
            formset.save()
