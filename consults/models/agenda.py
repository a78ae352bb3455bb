"""The host's side of consults: private notes on a consult, and her calendar feed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from consults.models.availability import ConsultHost
from consults.models.bookings import Booking


class ConsultNote(models.Model):
    """A host's private note on one consult (health data: every read and write is audited)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["booking", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on consult {self.booking_id} ({self.created_at:%Y-%m-%d %H:%M} UTC)"


class CalendarFeed(models.Model):
    """A host's private iCal feed: a secret URL calendars subscribe to; revocable.

    Only the SHA-256 of the token is stored. Revoking sets ``revoked_at``; a host has at
    most one feed that is not revoked.
    """

    host = models.ForeignKey(ConsultHost, on_delete=models.CASCADE, related_name="feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["host", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["host"], condition=Q(revoked_at__isnull=True), name="feed_one_live_per_host"
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.host} ({'revoked' if self.revoked_at else 'live'})"


class BookingPatient(models.Model):
    """A consult linked to an existing patient's record, after she confirmed it by email."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="patient_link")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consults"
    )
    confirmed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Consult {self.booking_id} of patient {self.patient_id}"
