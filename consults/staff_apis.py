"""The host's consults over the API (session sign-in with two-factor, like every staff page).

- ``GET consults/staff/bookings/?date=YYYY-MM-DD&days=N``: her consults on ``days`` (1-31,
  default 7) local days from ``date`` (default today in her zone), times with her zone's
  offset; audited as one view.
- ``PATCH consults/staff/bookings/<id>/`` with ``{"status": "completed" | "no_show" |
  "cancelled"}``: mark a consult that has started, or cancel one ahead (the visitor is
  emailed); another host's consult is 404. Optional when cancelling: ``sequence``, the
  booking's sequence the caller last saw (a different one is a field error: it changed
  meanwhile), and ``block_time`` (default false): keep its time closed to new bookings.
"""

from datetime import date as calendar_date
from datetime import timedelta
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from consults import agenda
from consults.changes import booking_cancel
from consults.models import Booking, ConsultHost
from consults.slots import FIRST_DAY, LAST_DAY
from practice.accounts.models import User


class IsHost(permissions.BasePermission):
    """A signed-in therapist who takes consults."""

    message = "Only therapists who take consults can use this."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(
            user.is_authenticated
            and getattr(user, "is_therapist", False)
            and ConsultHost.objects.filter(therapist__user=user).exists()
        )


class StaffBookingSerializer(serializers.ModelSerializer):
    start = serializers.SerializerMethodField(help_text="ISO 8601 with the host's UTC offset.")
    end = serializers.SerializerMethodField(help_text="ISO 8601 with the host's UTC offset.")

    class Meta:
        model = Booking
        fields = [
            "id",
            "start",
            "end",
            "status",
            "held",
            "name",
            "email",
            "phone",
            "concern",
            "concern_detail",
            "time_zone",
            "sequence",
        ]

    def get_start(self, booking: Booking) -> str:
        return booking.starts_at.astimezone(booking.host.zone).isoformat()

    def get_end(self, booking: Booking) -> str:
        return booking.ends_at.astimezone(booking.host.zone).isoformat()


class StaffBookingQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="A day in the host's zone.")
    days = serializers.IntegerField(required=False, min_value=1, max_value=31, default=7)

    def validate_date(self, value: calendar_date) -> calendar_date:
        if not FIRST_DAY <= value <= LAST_DAY:
            raise serializers.ValidationError(
                f"Give a day between {FIRST_DAY.isoformat()} and {LAST_DAY.isoformat()}."
            )
        return value


class StaffBookingUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[Booking.Status.COMPLETED, Booking.Status.NO_SHOW, Booking.Status.CANCELLED]
    )
    sequence = serializers.IntegerField(
        required=False, help_text="When cancelling: the sequence you saw; refused if it changed."
    )
    block_time = serializers.BooleanField(
        default=False, help_text="When cancelling: keep its time closed to new bookings."
    )


def _host(request: Request) -> ConsultHost:
    return ConsultHost.objects.select_related("therapist").get(
        therapist__user=cast(User, request.user)
    )


class StaffBookingListView(APIView):
    permission_classes = [IsHost]

    @extend_schema(
        parameters=[StaffBookingQuerySerializer], responses={200: StaffBookingSerializer(many=True)}
    )
    def get(self, request: Request) -> Response:
        query = StaffBookingQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        host = _host(request)
        first = query.validated_data.get("date") or timezone.now().astimezone(host.zone).date()
        days = agenda.agenda_list(
            host=host,
            first_day=first,
            days=query.validated_data["days"],
            actor=cast(User, request.user),
            request=request._request,
        )
        bookings = [b for day in days for b in day.bookings]
        for booking in bookings:
            booking.host = host
        return Response(
            {
                "from": first.isoformat(),
                "until": (first + timedelta(days=len(days))).isoformat(),
                "time_zone": str(host.zone),
                "results": StaffBookingSerializer(bookings, many=True).data,
            }
        )


class StaffBookingDetailView(APIView):
    permission_classes = [IsHost]

    @extend_schema(request=StaffBookingUpdateSerializer, responses={200: StaffBookingSerializer})
    def patch(self, request: Request, booking_id: int) -> Response:
        given = StaffBookingUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        host = _host(request)
        user = cast(User, request.user)
        if not Booking.objects.filter(pk=booking_id, host=host).exists():
            raise Http404("No such consult.")
        try:
            if given.validated_data["status"] == Booking.Status.CANCELLED:
                booking = booking_cancel(
                    booking_id=booking_id,
                    by_host=True,
                    actor=user,
                    request=request._request,
                    expected_sequence=given.validated_data.get("sequence"),
                    block_time=given.validated_data["block_time"],
                )
            else:
                booking = agenda.booking_mark(
                    host=host,
                    booking_id=booking_id,
                    status=given.validated_data["status"],
                    actor=user,
                    request=request._request,
                )
        except DjangoValidationError as exc:
            field = "sequence" if getattr(exc, "code", None) == "changed" else "status"
            detail = exc.message_dict if hasattr(exc, "error_dict") else {field: exc.messages}
            raise exceptions.ValidationError(detail) from exc
        booking.host = host
        return Response(StaffBookingSerializer(booking).data)
