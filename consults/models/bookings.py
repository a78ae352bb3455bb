"""Booked consults.

No double booking is enforced by the database, not only by a check before insert:

- a unique constraint on (host, starts_at) among active bookings (every database);
- on PostgreSQL an exclusion constraint (btree_gist) on (host, [blocked_from, blocked_until))
  among active bookings: two consults whose buffered ranges overlap cannot both exist.
  It is added by migration 0001 with SQL, only on PostgreSQL (SQLite has no such
  constraint; there the booking service's serialised write transaction gives the same
  outcome, see README).
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from consults.models.availability import ConsultHost
from practice.core.timezones import TimeZoneField

SLOT_MINUTES = 15


class Concern(models.TextChoices):
    BONE_DENSITY = "bone_density", "Osteoporosis or low bone density"
    FRACTURE = "fracture", "Recovering from a fracture"
    BALANCE = "balance", "Balance, falls or fear of falling"
    PAIN = "pain", "Back, neck, hip or knee pain"
    POSTURE = "posture", "Posture"
    EXERCISE = "exercise", "How to exercise safely"
    OTHER = "other", "Something else"


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        COMPLETED = "completed", "Completed"
        NO_SHOW = "no_show", "No-show"
        CANCELLED = "cancelled", "Cancelled"

    class Held(models.TextChoices):
        """Why a booking is held (``consults.services`` explains the rule): "" for a real one."""

        NO = "", "Not held"
        EMAIL = "email", "Her address has another upcoming consult"
        PHONE = "phone", "The phone number has another upcoming consult"

    #: Statuses that hold the time (everything but cancelled).
    ACTIVE_STATUSES = (Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(
        default=0, help_text="The calendar invite's SEQUENCE; + 1 at every change of time."
    )
    host = models.ForeignKey(ConsultHost, on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    blocked_from = models.DateTimeField(help_text="starts_at less the host's buffer before.")
    blocked_until = models.DateTimeField(help_text="ends_at plus the host's buffer after.")
    host_date = models.DateField(help_text="The day of the consult in the host's time zone.")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CONFIRMED)
    name = models.CharField(max_length=150)
    email = models.EmailField()
    phone = models.CharField(max_length=32, help_text="E.164, e.g. +12025550123.")
    concern = models.CharField(max_length=32, choices=Concern.choices)
    concern_detail = models.CharField(max_length=300, blank=True)
    time_zone = TimeZoneField(help_text="The visitor's time zone, for her emails and pages.")
    consented_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    held = models.CharField(
        max_length=8,
        choices=Held.choices,
        blank=True,
        default=Held.NO,
        help_text="Set when it was asked for while its address or phone number had another "
        "upcoming consult: it takes its time like any booking, but nobody calls.",
    )
    held_for = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The upcoming consult whose address (or phone number) this one matched.",
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["host", "host_date"], name="booking_host_day"),
            models.Index(fields=["host", "blocked_until"], name="booking_host_until"),
            models.Index(fields=["email"], name="booking_email"),
            models.Index(fields=["phone"], name="booking_phone"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["host", "starts_at"],
                condition=~Q(status="cancelled"),
                name="booking_one_active_per_host_start",
                violation_error_message="That time was just taken.",
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="booking_order"
            ),
            models.CheckConstraint(
                condition=Q(blocked_from__lte=models.F("starts_at"))
                & Q(blocked_until__gte=models.F("ends_at")),
                name="booking_buffers_around",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | Q(status="cancelled"),
                name="booking_cancelled_at_only_when_cancelled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED

    @property
    def is_held(self) -> bool:
        return self.held != self.Held.NO
