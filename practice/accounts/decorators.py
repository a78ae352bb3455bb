from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from practice.accounts.selectors import therapist_profile_get

#: Views carrying this attribute show patient data: staff reach them only after two-factor login.
STAFF_TWO_FACTOR_ATTR = "staff_two_factor_required"

V = TypeVar("V", bound=Callable[..., Any])


def staff_two_factor_required(view: V) -> V:
    """Mark a view as patient data for ``StaffTwoFactorMiddleware``."""
    setattr(view, STAFF_TWO_FACTOR_ATTR, True)
    return view


def therapist_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for therapists only, behind their two-factor login, never kept in a cache."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_therapist:
            raise PermissionDenied
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return staff_two_factor_required(wrapper)


def therapist_profile_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like ``therapist_required``, and passes her profile as ``therapist``.

    A therapist account without a profile yet gets a page saying how to get one.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        therapist = therapist_profile_get(user=request.user)  # type: ignore[arg-type]
        if therapist is None:
            return render(request, "accounts/no_therapist_profile.html")
        return view(request, *args, therapist=therapist, **kwargs)

    return therapist_required(wrapper)


def patient_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page for patients only: visitors are asked to sign in, staff are refused."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_patient:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
