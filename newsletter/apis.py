"""The newsletter API, included under /api/v1/ by practice/api/urls.py (docs/architecture.md).

Each endpoint is a thin DRF view with input and output serializers over this app's
selectors and services.
"""

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import Throttled
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from newsletter import campaign_apis, ratelimits
from newsletter.consent import CURRENT as CONSENT_WORDING
from newsletter.forms import SignupForm
from newsletter.views import signup_submit

#: The one answer to every accepted sign-up, whatever is known of the address.
ACCEPTED_DETAIL = (
    "Thank you. If this address can receive the newsletter, an email is on its way to it: "
    "the link in it confirms the subscription."
)


class SubscriptionInputSerializer(serializers.Serializer[None]):
    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(
        help_text=f'Must be true: she agrees to "{CONSENT_WORDING.text}"'
    )
    consent_version = serializers.CharField(
        max_length=20,
        required=False,
        default=CONSENT_WORDING.version,
        help_text="The version of the consent wording she was shown (default: the current one).",
    )

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(
                "Consent is required: we only email people who say yes."
            )
        return value


class SubscriptionAcceptedSerializer(serializers.Serializer[None]):
    detail = serializers.CharField()


class SubscriptionCreateView(APIView):
    """Sign an address up for the newsletter and the free guide (double opt-in).

    The same rules as the sign-up form: consent required, rate limits per client address
    (429) and per email address, and the same 202 answer whatever is known of the address
    (an email with a confirmation link is sent only when it should be).
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[type] = []  # no session, so no CSRF check: like the form

    @extend_schema(
        operation_id="newsletter_subscription_create",
        request=SubscriptionInputSerializer,
        responses={
            202: SubscriptionAcceptedSerializer,
            400: OpenApiResponse(description="A field is missing or invalid."),
            429: OpenApiResponse(description="Too many sign-ups from this address."),
        },
        tags=["newsletter"],
    )
    def post(self, request: Request) -> Response:
        django_request = request._request
        if not ratelimits.place_allows(django_request, action="signup"):
            raise Throttled()
        data = SubscriptionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        form = SignupForm(
            {
                "email": data.validated_data["email"],
                "first_name": data.validated_data["first_name"],
                "consent": "on",
                "consent_version": data.validated_data["consent_version"],
                "source": "api",
            }
        )
        if form.is_valid():  # the serializer checked the same fields
            signup_submit(django_request, form, method="api")
        return Response({"detail": ACCEPTED_DETAIL}, status=status.HTTP_202_ACCEPTED)


urlpatterns: list[URLPattern | URLResolver] = [
    *campaign_apis.urlpatterns,
    path(
        "newsletter/subscriptions/",
        SubscriptionCreateView.as_view(),
        name="newsletter-subscription-create",
    ),
]
