"""The staff API of campaigns (included by ``newsletter.apis``): write, send, schedule,
pause, resume, cancel, test-send, and read progress. Staff sign in with a session that has
passed two-factor login (``StaffTwoFactorMiddleware`` guards the whole API); the same
services and rules as the therapist's pages."""

from abc import ABC, abstractmethod
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from newsletter import campaign_selectors as selectors
from newsletter import campaigns as services
from newsletter.campaign_emails import campaign_archive_url
from newsletter.models import Campaign


class IsTherapist(permissions.BasePermission):
    message = "Only the practice's therapists manage newsletters."

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.is_therapist)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "The newsletter is not in a state that allows this."


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "enum": ["all"]},
            {"type": "array", "items": {"type": "string"}, "minItems": 1},
        ],
        "description": '"all", or a list of segment (tag) slugs.',
    }
)
class AudienceField(serializers.Field):
    default_error_messages = {
        "invalid": 'Use "all", or a list of segment slugs such as ["osteoporosis"].',
    }

    def to_internal_value(self, data: Any) -> str | list[str]:
        if data == "all":
            return "all"
        if (
            isinstance(data, list)
            and data
            and all(isinstance(item, str) and item.strip() for item in data)
        ):
            return [item.strip() for item in data]
        self.fail("invalid")
        raise AssertionError  # unreachable: fail() raises

    def to_representation(self, value: Campaign) -> str | list[str]:
        if value.audience_all:
            return "all"
        return list(value.audience_tags.values_list("slug", flat=True))


class CampaignInputSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=200)
    preheader = serializers.CharField(max_length=200, required=False, allow_blank=True)
    body = serializers.CharField(help_text="Markdown; rendered and sanitised when sent.")
    audience = AudienceField()


class CampaignSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    subject = serializers.CharField(read_only=True)
    preheader = serializers.CharField(read_only=True)
    body = serializers.CharField(read_only=True)
    audience = AudienceField(source="*", read_only=True)
    status = serializers.ChoiceField(choices=Campaign.Status.choices, read_only=True)
    scheduled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)
    recipients = serializers.SerializerMethodField(
        help_text="Fixed once sending started; before, whom it would reach now."
    )
    sent = serializers.SerializerMethodField(help_text="Accepted by the mail server.")
    failed = serializers.SerializerMethodField(help_text="Given up on by the outbox.")
    remaining = serializers.SerializerMethodField(help_text="Still to go.")
    skipped = serializers.SerializerMethodField(
        help_text="Unsubscribed, bounced, complained or paused before their batch."
    )
    archive_url = serializers.SerializerMethodField()

    def _progress(self, campaign: Campaign) -> selectors.Progress:
        cached = getattr(self, "_progress_cache", None)
        if cached is None or cached[0] != campaign.pk:
            cached = (campaign.pk, selectors.campaign_progress(campaign=campaign))
            self._progress_cache = cached
        return cached[1]

    def get_recipients(self, campaign: Campaign) -> int:
        return selectors.campaign_recipient_count(campaign=campaign)

    def get_sent(self, campaign: Campaign) -> int:
        return self._progress(campaign).sent

    def get_failed(self, campaign: Campaign) -> int:
        return self._progress(campaign).failed

    def get_remaining(self, campaign: Campaign) -> int:
        return self._progress(campaign).remaining

    def get_skipped(self, campaign: Campaign) -> int:
        return self._progress(campaign).skipped

    @extend_schema_field(OpenApiTypes.URI)
    def get_archive_url(self, campaign: Campaign) -> str | None:
        return campaign_archive_url(campaign) if campaign.started_at else None


def _invalid(exc: DjangoValidationError) -> exceptions.APIException:
    """A service's refusal: bad fields are a 400, a state that forbids it a 409."""
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return Conflict(" ".join(exc.messages))


class CampaignListView(generics.GenericAPIView):
    """Newsletters: list them (newest first) or write a new draft."""

    permission_classes = [IsTherapist]
    serializer_class = CampaignSerializer
    queryset = Campaign.objects.none()

    @extend_schema(
        operation_id="v1_newsletter_campaigns_list", responses=CampaignSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.campaign_list())
        return self.get_paginated_response(CampaignSerializer(page, many=True).data)

    @extend_schema(request=CampaignInputSerializer, responses={201: CampaignSerializer})
    def post(self, request: Request) -> Response:
        data = CampaignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        audience = data.validated_data["audience"]
        try:
            campaign = services.campaign_create(
                subject=data.validated_data["subject"],
                preheader=data.validated_data.get("preheader", ""),
                body=data.validated_data["body"],
                audience_all=audience == "all",
                audience_tags=[] if audience == "all" else audience,
                created_by=request.user,
            )
        except DjangoValidationError as exc:
            raise _invalid(exc) from exc
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetailView(APIView):
    """One newsletter: its content, status and progress (sent, failed, remaining)."""

    permission_classes = [IsTherapist]

    @extend_schema(responses=CampaignSerializer)
    def get(self, request: Request, pk: int) -> Response:
        campaign = selectors.campaign_get(campaign_id=pk)
        return Response(CampaignSerializer(campaign).data)


SEND_INPUT = inline_serializer(
    "CampaignSendInput",
    {
        "scheduled_at": serializers.DateTimeField(
            required=False,
            help_text="Send at this time (ISO 8601 with a zone) instead of now.",
        )
    },
)


class CampaignActionView(APIView, ABC):
    """Base of the actions: POST, answer with the newsletter as it now is."""

    permission_classes = [IsTherapist]

    @abstractmethod
    def act(self, request: Request, campaign: Campaign) -> None:
        """The service call of this action; raises Django's ValidationError when refused."""

    def post(self, request: Request, pk: int) -> Response:
        campaign = selectors.campaign_get(campaign_id=pk)
        try:
            self.act(request, campaign)
        except DjangoValidationError as exc:
            raise _invalid(exc) from exc
        campaign.refresh_from_db()
        return Response(CampaignSerializer(campaign).data)


class CampaignSendView(CampaignActionView):
    """Send now, or at ``scheduled_at``; the recipients are fixed when sending starts."""

    @extend_schema(request=SEND_INPUT, responses={200: CampaignSerializer, 409: None})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request: Request, campaign: Campaign) -> None:
        field = serializers.DateTimeField(required=False)
        raw = request.data.get("scheduled_at") if hasattr(request.data, "get") else None
        if raw in (None, ""):
            services.campaign_send(campaign=campaign)
            return
        try:
            at = field.run_validation(raw)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"scheduled_at": exc.detail}) from exc
        services.campaign_schedule(campaign=campaign, at=at)


class CampaignPauseView(CampaignActionView):
    """Stop a sending newsletter before its next batch."""

    @extend_schema(request=None, responses={200: CampaignSerializer, 409: None})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request: Request, campaign: Campaign) -> None:
        services.campaign_pause(campaign=campaign)


class CampaignResumeView(CampaignActionView):
    """Go on with a paused newsletter where it stopped."""

    @extend_schema(request=None, responses={200: CampaignSerializer, 409: None})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request: Request, campaign: Campaign) -> None:
        services.campaign_resume(campaign=campaign)


class CampaignCancelView(CampaignActionView):
    """Stop a scheduled, sending or paused newsletter for good."""

    @extend_schema(request=None, responses={200: CampaignSerializer, 409: None})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request: Request, campaign: Campaign) -> None:
        services.campaign_cancel(campaign=campaign)


class CampaignTestView(APIView):
    """Send the newsletter as it stands to the signed-in staff member, marked as a test."""

    permission_classes = [IsTherapist]

    @extend_schema(
        request=None,
        responses={202: inline_serializer("CampaignTestSent", {"to": serializers.EmailField()})},
    )
    def post(self, request: Request, pk: int) -> Response:
        campaign = selectors.campaign_get(campaign_id=pk)
        to = str(request.user.email)  # type: ignore[union-attr]  # IsTherapist: signed in
        services.campaign_test_send(campaign=campaign, to=to)
        return Response({"to": to}, status=status.HTTP_202_ACCEPTED)


PREFIX = "newsletter/campaigns/"
urlpatterns = [
    path(PREFIX, CampaignListView.as_view(), name="newsletter-campaigns"),
    path(f"{PREFIX}<db_id:pk>/", CampaignDetailView.as_view(), name="newsletter-campaign"),
    path(f"{PREFIX}<db_id:pk>/send/", CampaignSendView.as_view(), name="newsletter-campaign-send"),
    path(
        f"{PREFIX}<db_id:pk>/pause/", CampaignPauseView.as_view(), name="newsletter-campaign-pause"
    ),
    path(
        f"{PREFIX}<db_id:pk>/resume/",
        CampaignResumeView.as_view(),
        name="newsletter-campaign-resume",
    ),
    path(
        f"{PREFIX}<db_id:pk>/cancel/",
        CampaignCancelView.as_view(),
        name="newsletter-campaign-cancel",
    ),
    path(f"{PREFIX}<db_id:pk>/test/", CampaignTestView.as_view(), name="newsletter-campaign-test"),
]
