import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from practice.accounts.selectors import therapist_list
from practice.core.models import PracticeProfile, profile_defaults
from practice.core.selectors import practice_profile

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "site/home.html", {"therapists": therapist_list()})


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "site/about.html", {"therapists": therapist_list()})


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
