"""Scheduled work stored as data: a row with a due time, done exactly once by the scanner."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Job(models.Model):
    """One piece of due work, e.g. "send the reminder for consult 12 at 9:00 UTC".

    ``key`` names the work so scheduling it twice is harmless. A failing job is retried with
    a growing delay (``attempts``, ``last_error``) and never holds up the others; after
    ``SCHEDULING_MAX_ATTEMPTS`` it waits for staff to retry it.
    """

    kind = models.CharField(max_length=100)
    key = models.CharField(max_length=255, unique=True)
    payload = models.JSONField(default=dict, blank=True)
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="scheduling_job_pending_due",
                condition=Q(done_at__isnull=True, cancelled_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def state(self) -> str:
        if self.done_at:
            return "done"
        if self.cancelled_at:
            return "cancelled"
        if self.attempts >= settings.SCHEDULING_MAX_ATTEMPTS:
            return "gave up"
        return "failing" if self.attempts else "pending"
