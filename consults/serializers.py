"""The consults API's input and output shapes (consults.apis)."""

from __future__ import annotations

from datetime import date as calendar_date
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from consults.models import Booking, Concern
from consults.selectors import host_list
from consults.slots import FIRST_DAY, LAST_DAY, Slot
from consults.zones import KNOWN_ZONES


def zone_validate(name: str) -> ZoneInfo:
    """An IANA zone from the tz database; raises ``serializers.ValidationError`` otherwise."""
    if name not in KNOWN_ZONES:
        raise serializers.ValidationError(
            "Unknown time zone. Give an IANA name such as America/New_York or Europe/London."
        )
    return ZoneInfo(name)


def host_validate(host_id: int) -> int:
    """The id of a host taking consults; raises ``serializers.ValidationError`` otherwise."""
    if not host_list().filter(pk=host_id).exists():
        raise serializers.ValidationError("No therapist with this id takes consults.")
    return host_id


@extend_schema_field(OpenApiTypes.DATETIME)
class OffsetDateTimeField(serializers.Field):
    """An ISO 8601 date and time that must carry its UTC offset (``2026-12-01T09:00-05:00``)."""

    default_error_messages = {
        "invalid": "Give the time in ISO 8601 with its UTC offset, e.g. 2026-12-01T09:00:00-05:00.",
        "naive": "Give the time with its UTC offset, e.g. 2026-12-01T09:00:00-05:00.",
    }

    def to_internal_value(self, data: Any) -> datetime:
        try:
            moment = datetime.fromisoformat(str(data))
        except ValueError:
            self.fail("invalid")
        if moment.tzinfo is None or moment.utcoffset() is None:
            self.fail("naive")
        return moment

    def to_representation(self, value: datetime) -> str:
        return value.isoformat()


class SlotQuerySerializer(serializers.Serializer):
    date = serializers.DateField(help_text="A day in `tz`, YYYY-MM-DD.")
    tz = serializers.CharField(help_text="The visitor's IANA time zone, e.g. America/New_York.")
    host = serializers.IntegerField(
        required=False, min_value=1, help_text="One host's slots; the first free host if absent."
    )

    def validate_date(self, value: calendar_date) -> calendar_date:
        if not FIRST_DAY <= value <= LAST_DAY:
            raise serializers.ValidationError(
                f"Give a day between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}."
            )
        return value

    def validate_tz(self, value: str) -> str:
        zone_validate(value)
        return value

    def validate_host(self, value: int) -> int:
        return host_validate(value)


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="ISO 8601 with the UTC offset of `tz`.")
    end = serializers.DateTimeField(help_text="ISO 8601 with the UTC offset of `tz`.")
    host = serializers.IntegerField(help_text="The host's id.")

    @staticmethod
    def of(slot: Slot, zone: ZoneInfo) -> dict[str, Any]:
        return {
            "start": slot.starts_at.astimezone(zone).isoformat(),
            "end": slot.ends_at.astimezone(zone).isoformat(),
            "host": slot.host_id,
        }


class SlotDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    time_zone = serializers.CharField()
    slots = SlotSerializer(many=True)


class BookingInputSerializer(serializers.Serializer):
    start = OffsetDateTimeField(help_text="The slot's start, ISO 8601 with its UTC offset.")
    time_zone = serializers.CharField(
        max_length=64, help_text="The visitor's IANA time zone, for her emails and pages."
    )
    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254)
    phone = serializers.CharField(max_length=40, help_text="Stored in E.164.")
    concern = serializers.ChoiceField(choices=Concern.choices)
    concern_detail = serializers.CharField(max_length=300, required=False, allow_blank=True)
    consent = serializers.BooleanField(help_text="Must be true: she agrees to be called.")
    host = serializers.IntegerField(
        required=False, min_value=1, help_text="A host's id; the first free host if absent."
    )

    def validate_time_zone(self, value: str) -> str:
        zone_validate(value)
        return value

    def validate_host(self, value: int) -> int:
        return host_validate(value)


class BookingSerializer(serializers.ModelSerializer):
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    host = serializers.IntegerField(source="host_id")

    class Meta:
        model = Booking
        fields = [
            "uid", "start", "end", "host", "time_zone", "name", "email", "phone",
            "concern", "concern_detail", "status",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_start(self, booking: Booking) -> str:
        return booking.starts_at.astimezone(ZoneInfo(booking.time_zone)).isoformat()

    @extend_schema_field(OpenApiTypes.DATETIME)
    def get_end(self, booking: Booking) -> str:
        return booking.ends_at.astimezone(ZoneInfo(booking.time_zone)).isoformat()


class SlotTakenSerializer(serializers.Serializer):
    """409: the standard error object and the nearest free times, in the visitor's zone."""

    error = serializers.DictField()
    nearest = SlotSerializer(many=True)
