"""When a therapist takes free consults.

All clock times here are wall-clock times in the host's time zone (her therapist profile's
``time_zone``); the slot computation (``consults.slots``) turns them into UTC instants day by
day, so a range keeps its local meaning across a daylight-saving change.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from practice.accounts.models import TherapistProfile


class Weekday(models.IntegerChoices):
    """Python's ``date.weekday()`` numbering."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class ConsultHost(models.Model):
    """A therapist who takes free consults, and her booking rules."""

    therapist = models.OneToOneField(
        TherapistProfile, on_delete=models.CASCADE, related_name="consult_host"
    )
    is_active = models.BooleanField(
        "taking consults", default=True, help_text="Off: no new consults are offered with her."
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(120)],
        help_text="Minutes kept free before each consult.",
    )
    buffer_after_minutes = models.PositiveSmallIntegerField(
        default=5,
        validators=[MaxValueValidator(120)],
        help_text="Minutes kept free after each consult.",
    )
    minimum_notice_minutes = models.PositiveIntegerField(
        default=12 * 60,
        validators=[MaxValueValidator(30 * 24 * 60)],
        help_text="How long before a consult it can be booked at the latest, in minutes.",
    )
    horizon_days = models.PositiveSmallIntegerField(
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="How many days ahead consults can be booked.",
    )
    daily_cap = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(96)],
        help_text="At most this many consults on one day (her local day).",
    )

    class Meta:
        ordering = ["therapist__sort_order", "therapist__display_name"]
        constraints = [
            models.CheckConstraint(condition=Q(horizon_days__gte=1), name="host_horizon_positive"),
            models.CheckConstraint(condition=Q(daily_cap__gte=1), name="host_daily_cap_positive"),
        ]

    def __str__(self) -> str:
        return str(self.therapist)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(str(self.therapist.time_zone))

    @property
    def buffer_before(self) -> timedelta:
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)

    @property
    def minimum_notice(self) -> timedelta:
        return timedelta(minutes=self.minimum_notice_minutes)


class WeeklyHours(models.Model):
    """One range of a weekday's hours; a day may have several (9-12 and 14-17)."""

    host = models.ForeignKey(ConsultHost, on_delete=models.CASCADE, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField(help_text="Her local time.")
    ends = models.TimeField(help_text="Her local time.")

    class Meta:
        ordering = ["host", "weekday", "starts"]
        verbose_name_plural = "weekly hours"
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=models.F("ends")), name="hours_order"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="hours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}-{self.ends:%H:%M}"


class DateOverride(models.Model):
    """Hours of one date that replace its weekday's hours.

    Several rows for a date are several ranges; a row without times makes the date a day off.
    """

    host = models.ForeignKey(ConsultHost, on_delete=models.CASCADE, related_name="date_overrides")
    date = models.DateField(help_text="Her local date.")
    starts = models.TimeField(null=True, blank=True, help_text="Empty for a day off.")
    ends = models.TimeField(null=True, blank=True, help_text="Empty for a day off.")

    class Meta:
        ordering = ["host", "date", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(starts__isnull=True) & Q(ends__isnull=True))
                | Q(starts__lt=models.F("ends")),
                name="override_day_off_or_ordered_range",
            ),
        ]

    def __str__(self) -> str:
        if self.starts is None or self.ends is None:
            return f"{self.date}: day off"
        return f"{self.date} {self.starts:%H:%M}-{self.ends:%H:%M}"

    @property
    def is_day_off(self) -> bool:
        return self.starts is None


class BlockedPeriod(models.Model):
    """Time without consults: holidays, conferences, time blocked from the agenda (UTC)."""

    host = models.ForeignKey(ConsultHost, on_delete=models.CASCADE, related_name="blocked_periods")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["host", "starts_at"]
        indexes = [models.Index(fields=["host", "ends_at"], name="blocked_host_ends")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="blocked_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} to {self.ends_at:%Y-%m-%d %H:%M} UTC"
