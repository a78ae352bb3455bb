"""A patient's daily exercise reminder email: opt-in, at a time of her choosing."""

import secrets
from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone


def stop_token() -> str:
    return secrets.token_urlsafe(24)


class ReminderPreference(models.Model):
    """Her choice: a reminder on her program days at ``remind_at`` (her local time).

    ``stop_token`` is the secret of the no-login "stop these reminders" link; it changes
    when she turns reminders on again, so an old email cannot stop the new ones by accident
    of forwarding. ``job_key`` names the pending reminder Job.
    """

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_reminder"
    )
    enabled = models.BooleanField(default=False)
    remind_at = models.TimeField("time of day", default=time(9, 0))
    stop_token = models.CharField(max_length=64, unique=True, default=stop_token)
    job_key = models.CharField(max_length=120, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    stopped_by_link_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Reminder for {self.patient}"
