import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static

from practice.accounts.models import TherapistProfile
from practice.accounts.selectors import therapist_list
from practice.core.models import PracticeProfile, profile_defaults
from practice.core.page_cache import public_data, public_page
from practice.core.selectors import practice_profile

logger = logging.getLogger(__name__)


def listed_therapists() -> list[TherapistProfile]:
    """The therapists shown on public pages, kept in this process until public content
    changes (a therapist's profile or account is saved)."""
    return public_data("site:therapists", lambda: list(therapist_list()))


@public_page
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"therapists": listed_therapists()})


@public_page
def about(request: HttpRequest) -> HttpResponse:
    return render(request, "site/about.html", {"therapists": listed_therapists()})


@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "site/privacy.html")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page, or the API's error shape (practice/api/errors.py) on an API route.

    Never reads the request body: Django's own handler runs the CSRF check again, which
    reads an unreadable body a second time and turns the 400 into a 500.
    """
    match = request.resolver_match
    if match is not None and "api" in match.app_names:
        message = "The request could not be read: send UTF-8, within the size limits."
        error = {"status": 400, "code": "parse_error", "message": message, "fields": {}}
        return JsonResponse({"error": error}, status=400)
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    """Render 500.html without context processors, and without the database if it is down."""
    try:
        profile = practice_profile()
    except Exception:
        logger.exception("Practice profile unavailable while rendering the error page")
        profile = PracticeProfile(**profile_defaults())
    html = loader.get_template("500.html").render({"practice": profile})
    return HttpResponseServerError(html)


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and bookmark tools ask for /favicon.ico whatever the page links: send the SVG."""
    return redirect(static("images/favicon.svg"), permanent=True)
