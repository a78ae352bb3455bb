import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static

from practice.site.models import PracticeProfile, profile_defaults
from practice.site.selectors import listed_therapists, practice_profile

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"therapists": listed_therapists()})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "site/about.html", {"therapists": listed_therapists()})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "site/privacy.html")


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
