"""The consults API, included under /api/v1/ by practice/api/urls.py (docs/architecture.md).

- ``GET consults/slots/?date=&tz=[&host=]``: the free slots of a day in the visitor's zone.
- ``POST consults/bookings/``: book one (201), taken (409 with the nearest free times), bad
  input (400 with field errors). Same service, rules and answers as the booking page.
- ``consults/staff/bookings/`` (list) and ``consults/staff/bookings/<id>/`` (update): the
  host's own consults, in ``consults.staff_apis``.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse, QueryDict
from django.urls import URLPattern, URLResolver, path
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from consults import staff_apis
from consults.ratelimits import booking_attempt_allowed
from consults.selectors import day_slot_list
from consults.serializers import (
    BookingInputSerializer,
    BookingSerializer,
    SlotDaySerializer,
    SlotQuerySerializer,
    SlotSerializer,
    SlotTakenSerializer,
)
from consults.services import TAKEN_MESSAGE, BookingRequest, SlotTaken, booking_create
from consults.slot_cache import VERSION_KEY, clock_class, remember
from practice.api.throttling import cache_read


class SlotListView(APIView):
    """The free 15-minute consult slots of one day in the visitor's time zone."""

    # Answers come from the slot memo (consults.slot_cache) as their rendered JSON, keyed on
    # the query as given: only a valid query is ever computed, stored and served. The memo's
    # version is read in the throttle's round trip (cache_reads), so a hit costs one cache
    # round trip and no rendering. (A comment, not the docstring: that is the schema's text.)

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type] = []
    #: Read with the rate limit's counters (practice.api.throttling).
    cache_reads = (VERSION_KEY,)

    @extend_schema(parameters=[SlotQuerySerializer], responses={200: SlotDaySerializer})
    def get(self, request: Request) -> HttpResponse:
        params = request.query_params
        now = timezone.now()
        key = (
            "api-day",
            params.get("date"),
            params.get("tz"),
            params.get("host"),
            clock_class(now),
        )
        body = remember(key, lambda: slot_day_json(params, now=now), version=_version(request))
        return HttpResponse(body, content_type="application/json")


def slot_day_json(params: QueryDict, *, now: datetime) -> bytes:
    """The answer to a slots query as JSON bytes (the shape of ``SlotDaySerializer``);
    raises ``rest_framework.exceptions.ValidationError`` (400) for a bad query."""
    query = SlotQuerySerializer(data=params)
    query.is_valid(raise_exception=True)
    day, tz = query.validated_data["date"], query.validated_data["tz"]
    zone = ZoneInfo(tz)
    search = day_slot_list(day=day, zone=zone, host_id=query.validated_data.get("host"), now=now)
    slots = [SlotSerializer.of(slot, zone) for slot in search.slots]
    return JSONRenderer().render({"date": day.isoformat(), "time_zone": tz, "slots": slots})


def _version(request: Request) -> str | None:
    """The slot memo's version as read by the throttle, or None for the memo to read it."""
    found, value = cache_read(request, VERSION_KEY)
    return str(value) if found and value is not None else None


class BookingCreateView(APIView):
    """Book a free consult (no account needed)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        request=BookingInputSerializer,
        responses={
            201: BookingSerializer,
            400: OpenApiResponse(description="Field errors, in the API's error shape."),
            409: OpenApiResponse(SlotTakenSerializer, description="That time was just taken."),
            429: OpenApiResponse(description="Too many booking attempts from this address."),
        },
    )
    def post(self, request: Request) -> Response:
        if not booking_attempt_allowed(request._request):
            raise exceptions.Throttled(detail="Too many booking attempts. Please call us.")
        given = BookingInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(given.validated_data)
        booking_request = BookingRequest(
            starts_at=data["start"],
            time_zone=data["time_zone"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            concern=data["concern"],
            concern_detail=data.get("concern_detail", ""),
            consent=data["consent"],
            host_id=data.get("host"),
        )
        try:
            booking = booking_create(request=booking_request)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from exc
        except SlotTaken as taken:
            zone = ZoneInfo(data["time_zone"])
            body = {
                "error": {
                    "status": 409,
                    "code": "slot_taken",
                    "message": TAKEN_MESSAGE,
                    "fields": {},
                },
                "nearest": [SlotSerializer.of(slot, zone) for slot in taken.nearest],
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


urlpatterns: list[URLPattern | URLResolver] = [
    path("consults/slots/", SlotListView.as_view(), name="consult-slots"),
    path("consults/bookings/", BookingCreateView.as_view(), name="consult-bookings"),
    path(
        "consults/staff/bookings/",
        staff_apis.StaffBookingListView.as_view(),
        name="consult-staff-bookings",
    ),
    path(
        "consults/staff/bookings/<db_id:booking_id>/",
        staff_apis.StaffBookingDetailView.as_view(),
        name="consult-staff-booking",
    ),
]
