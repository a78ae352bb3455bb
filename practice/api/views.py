from typing import Any

from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions, generics, permissions
from rest_framework.decorators import api_view, permission_classes
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import APIRootView
from rest_framework.serializers import BaseSerializer

from practice.accounts.models import User
from practice.accounts.services import user_name_change
from practice.api.serializers import MeSerializer, PracticeProfileSerializer
from practice.core.models import PracticeProfile
from practice.core.selectors import practice_profile


class RootView(APIRootView):
    """Links to every endpoint of this API version."""

    permission_classes = [permissions.AllowAny]


class MeView(generics.RetrieveUpdateAPIView):
    """The logged-in person: her email, name and role. Only the name can be changed."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> User:
        return self.request.user  # type: ignore[return-value]

    def perform_update(self, serializer: BaseSerializer[User]) -> None:
        user = self.get_object()
        name = serializer.validated_data.get("full_name", user.full_name)
        serializer.instance = user_name_change(user=user, full_name=name)


class PracticeView(generics.RetrieveAPIView):
    """The practice's public contact details."""

    serializer_class = PracticeProfileSerializer
    permission_classes = [permissions.AllowAny]

    def get_object(self) -> PracticeProfile:
        return practice_profile()


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([permissions.AllowAny])
def not_found(request: Request, *args: Any, **kwargs: Any) -> Response:
    """Answers unknown API addresses in the API's error format instead of an HTML page."""
    raise exceptions.NotFound()


@extend_schema(exclude=True)
class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar's static files; its start-up script is a separate file (CSP)."""

    template_name = "api/docs.html"
    url_name = "api:schema"

    def options(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:  # type: ignore[override]
        """The methods it takes (the Allow header DRF adds), with no body.

        DRF answers OPTIONS with a JSON description of the endpoint (a ``Response``), which
        this view's only renderer, an HTML template, cannot render: it was a 500.
        """
        return HttpResponse()
