"""The waitlist of a full day: people asking to hear when a time on that day frees up."""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from consults.models.availability import ConsultHost
from practice.core.timezones import TimeZoneField


class WaitlistEntry(models.Model):
    """One person waiting for a time on ``date`` (a day in her ``time_zone``).

    ``host`` is empty when she takes any host. Entries are served in the order they were
    made (``created_at``, then id). She leaves the list by booking, by her "remove me" link, or
    when the day has passed.
    """

    host = models.ForeignKey(
        ConsultHost, on_delete=models.CASCADE, related_name="waitlist", null=True, blank=True
    )
    date = models.DateField(help_text="The day she wants, in her time zone.")
    time_zone = TimeZoneField()
    name = models.CharField(max_length=150)
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "created_at", "pk"]
        verbose_name_plural = "waitlist entries"
        indexes = [models.Index(fields=["date"], name="waitlist_date")]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "date",
                condition=Q(left_at__isnull=True),
                name="waitlist_one_live_entry_per_email_and_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Waitlist {self.date}: entry {self.pk}"
