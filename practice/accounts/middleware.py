"""Staff must finish a two-factor login before they see patient data, the admin or the API."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from practice.accounts.decorators import STAFF_TWO_FACTOR_ATTR

API_PREFIX = "/api/"

SETUP_MESSAGE = (
    "To keep your patients' information safe, staff accounts use two-step sign-in. "
    "Please set it up now: it takes about two minutes and needs an authenticator app "
    "on your phone."
)
CONFIRM_MESSAGE = (
    "To keep your patients' information safe, please confirm it's you with the "
    "6-digit code from your authenticator app."
)


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def completed_two_factor(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class StaffTwoFactorMiddleware:
    """Sends staff without a completed two-factor login to set it up or enter their code.

    Staff may still read the public pages; what is protected is the admin, the API and every
    view marked with ``staff_two_factor_required`` (therapist pages, patient data).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not (user.is_authenticated and user.is_staff):
            return None
        if not self._protects(request, view_func):
            return None
        query = urlencode({"next": request.get_full_path()})
        if not has_totp(user):
            return self._deny(request, f"{reverse('mfa_activate_totp')}?{query}", SETUP_MESSAGE)
        if not completed_two_factor(request):
            return self._deny(request, f"{reverse('mfa_reauthenticate')}?{query}", CONFIRM_MESSAGE)
        return None

    @staticmethod
    def _protects(request: HttpRequest, view_func: Callable[..., Any]) -> bool:
        if getattr(view_func, STAFF_TWO_FACTOR_ATTR, False):
            return True
        return request.path.startswith((reverse("admin:index"), API_PREFIX))

    @staticmethod
    def _deny(request: HttpRequest, url: str, message: str) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            error = {"status": 403, "code": "two_factor_required", "message": message, "fields": {}}
            return JsonResponse({"error": error}, status=403)
        messages.warning(request, message)
        return HttpResponseRedirect(url)
