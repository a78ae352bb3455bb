"""Request-wide settings that follow the practice profile."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from practice.core.selectors import practice_zone


class PracticeTimeZoneMiddleware:
    """Show times in the practice's time zone (the admin, emails rendered in a request, pages).

    Pages about one person's own times (a therapist's list) still switch to her zone with
    ``{% timezone %}``. Stored times stay in UTC.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timezone.activate(practice_zone())
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
