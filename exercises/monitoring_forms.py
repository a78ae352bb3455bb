"""The therapist's pain-monitoring settings form."""

from typing import Any

from django import forms

from exercises.models import MonitoringSettings
from exercises.pain import MonitoringThresholds


class MonitoringSettingsForm(forms.ModelForm):
    class Meta:
        model = MonitoringSettings
        fields = ["safe_max", "acceptable_max", "rise_points", "missed_days"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        safe, acceptable = data.get("safe_max"), data.get("acceptable_max")
        if safe is not None and acceptable is not None and safe >= acceptable:
            self.add_error("acceptable_max", "Must be above the highest safe pain.")
        return data

    def thresholds(self) -> MonitoringThresholds:
        data = self.cleaned_data
        return MonitoringThresholds(
            safe_max=data["safe_max"],
            acceptable_max=data["acceptable_max"],
            rise_points=float(data["rise_points"]),
            missed_days=data["missed_days"],
        )
