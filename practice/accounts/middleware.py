"""Staff must finish a two-factor login before they see patient data, the admin or the API;
pages with account details or secrets are never stored by a cache."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import ResolverMatch, reverse
from django.utils.cache import add_never_cache_headers

from practice.accounts.decorators import STAFF_TWO_FACTOR_ATTR
from practice.accounts.two_factor import has_totp

#: URL namespaces (app names) behind two-step sign-in: every page of the admin and the API.
PROTECTED_APPS = frozenset({"admin", "api"})
API_APP = "api"

SETUP_MESSAGE = (
    "To keep your patients' information safe, staff accounts use two-step sign-in. "
    "Please set it up now: it takes about two minutes and needs an authenticator app "
    "on your phone."
)
CONFIRM_MESSAGE = (
    "To keep your patients' information safe, please confirm it's you with the "
    "6-digit code from your authenticator app."
)


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
        return not PROTECTED_APPS.isdisjoint(_app_names(request))

    @staticmethod
    def _deny(request: HttpRequest, url: str, message: str) -> HttpResponse:
        if API_APP in _app_names(request):
            error = {"status": 403, "code": "two_factor_required", "message": message, "fields": {}}
            return JsonResponse({"error": error}, status=403)
        messages.warning(request, message)
        return HttpResponseRedirect(url)


def _app_names(request: HttpRequest) -> list[str]:
    """The URL namespaces of the matched route: the same under any SCRIPT_NAME sub-path."""
    match = request.resolver_match
    return match.app_names if match is not None else []


#: Pages never stored, by URL name: ``namespace:*`` (a whole namespace), ``prefix*`` (names
#: that start so) or an exact ``namespace:name``. Names, not paths, so it holds wherever the
#: site is mounted (SCRIPT_NAME). Ours (invites, "My program"), allauth's account and
#: two-step pages, the API's "me", and the API's home programs and session logs.
NO_STORE_URL_NAMES = (
    "accounts:*",
    "account_*",
    "mfa_*",
    "api:me",
    "api:program-list",
    "api:program-detail",
    "api:program_sessions",
)


def _no_store(match: ResolverMatch) -> bool:
    for pattern in NO_STORE_URL_NAMES:
        if pattern.endswith(":*"):
            if pattern[:-2] in match.namespaces:
                return True
        elif pattern.endswith("*"):
            if not match.namespaces and (match.url_name or "").startswith(pattern[:-1]):
                return True
        elif match.view_name == pattern:
            return True
    return False


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (Django's never-cache headers) on sensitive pages.

    Their content (email addresses, recovery codes, forms with secrets in the session) must
    not be kept by the browser's back button cache on a shared computer, or by a proxy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if match is not None and _no_store(match):
            add_never_cache_headers(response)
        return response
