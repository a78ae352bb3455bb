"""Consult hosts and their availability (staff), bookings (the owner, read only: the host's
agenda and the staff API are where bookings are worked on)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from consults.models import (
    BlockedPeriod,
    Booking,
    CalendarFeed,
    ConsultHost,
    DateOverride,
    WaitlistEntry,
    WeeklyHours,
)
from practice.core.admin_mixins import OwnerOnlyAdminMixin, ReadOnlyAdminMixin


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    extra = 0


class DateOverrideInline(admin.TabularInline):
    model = DateOverride
    extra = 0


class BlockedPeriodInline(admin.TabularInline):
    model = BlockedPeriod
    extra = 0


@admin.register(ConsultHost)
class ConsultHostAdmin(admin.ModelAdmin):
    list_display = ["therapist", "is_active", "daily_cap", "horizon_days", "minimum_notice_minutes"]
    list_filter = ["is_active"]
    inlines = [WeeklyHoursInline, DateOverrideInline, BlockedPeriodInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["therapist"] if obj is not None else []


@admin.register(Booking)
class BookingAdmin(OwnerOnlyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The concern stays out of the list; it shows on one booking's page."""

    list_display = ["starts_at", "host", "name", "status"]
    list_filter = ["status", "host"]
    date_hierarchy = "starts_at"
    list_select_related = ["host__therapist"]


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(OwnerOnlyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who waits for which full day, in the order they are served (read only)."""

    list_display = ["date", "time_zone", "host", "created_at", "left_at"]
    list_filter = ["date"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(OwnerOnlyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Hosts' calendar feeds (the token is never stored, only its hash, not shown)."""

    list_display = ["host", "created_at", "revoked_at"]
    exclude = ["token_hash"]
