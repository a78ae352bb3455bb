"""The newsletter's public pages: the guide and its sign-up, confirmation, download,
unsubscribe and preferences.

The sign-up and "fresh link" forms appear on cached public pages, which carry no CSRF token
and no session: their endpoints are CSRF-exempt and protected instead by a honeypot, rate
limits per client address and per email address, and double opt-in. Whatever is known of an
address, they answer with the same redirect.
"""

import json
import logging

from allauth.core.internal import ratelimit
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from newsletter import conf, links, ratelimits, selectors, services, tasks
from newsletter.forms import EraseForm, LinkRequestForm, PreferencesForm, SignupForm
from newsletter.models import Subscriber
from newsletter.services import ConfirmOutcome, ConsentEvidence
from newsletter.tokens import Purpose
from practice.core.client_address import client_address
from practice.core.page_cache import public_page

logger = logging.getLogger(__name__)

#: The subscriber whose pages this browser opened through an emailed link.
SESSION_KEY = "newsletter.subscriber_id"


@public_page
def guide(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "newsletter/guide.html",
        {"guide": selectors.lead_magnet_active(), "link_form": LinkRequestForm()},
    )


def _evidence(request: HttpRequest, *, method: str, source: str, version: str) -> ConsentEvidence:
    return ConsentEvidence(
        method=method,
        ip_address=client_address(request),
        user_agent=request.headers.get("user-agent", ""),
        source=source,
        wording_version=version,
    )


def signup_submit(request: HttpRequest, data: SignupForm, *, method: str) -> None:
    """Hand a valid sign-up (the form's or the API's) to the ``newsletter.signup`` task."""
    tasks.signup_process.delay(
        email=data.cleaned_data["email"],
        first_name=data.cleaned_data["first_name"],
        method=method,
        ip_address=client_address(request),
        user_agent=request.headers.get("user-agent", "")[:500],
        source=data.cleaned_data["source"],
        wording_version=data.cleaned_data["consent_version"],
    )


@csrf_exempt
@require_POST
def signup(request: HttpRequest) -> HttpResponse:
    if not ratelimits.place_allows(request, action="signup"):
        return ratelimit.respond_429(request)
    form = SignupForm(request.POST)
    if form.is_bot():
        return redirect("newsletter:signup_sent")
    if not form.is_valid():
        context = {"form": form, "guide": selectors.lead_magnet_active()}
        return render(request, "newsletter/signup_invalid.html", context, status=400)
    signup_submit(request, form, method="form")
    return redirect("newsletter:signup_sent")


@public_page
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/signup_sent.html")


@never_cache
@require_GET
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscriber, data = selectors.subscriber_from_token(
        token=token, purpose="confirm", max_age=conf.CONFIRM_VALID
    )
    outcome = services.subscriber_confirm(
        subscriber=subscriber,
        token=data,
        ip_address=client_address(request),
        user_agent=request.headers.get("User-Agent", ""),
    )
    if outcome is ConfirmOutcome.CONFIRMED and subscriber is not None:
        request.session[SESSION_KEY] = subscriber.pk
        return redirect("newsletter:subscribed")
    if outcome is ConfirmOutcome.EXPIRED:
        return render(request, "newsletter/confirm_expired.html", {"token": token}, status=410)
    if outcome is ConfirmOutcome.USED:
        return render(request, "newsletter/confirm_used.html", {"form": SignupForm()}, status=410)
    return render(request, "newsletter/link_invalid.html", status=404)


def _session_subscriber(request: HttpRequest) -> Subscriber | None:
    pk = request.session.get(SESSION_KEY)
    return Subscriber.objects.filter(pk=pk).first() if pk else None


@never_cache
def subscribed(request: HttpRequest) -> HttpResponse:
    subscriber = _session_subscriber(request)
    download_url = ""
    if subscriber is not None and subscriber.confirmed_at is not None:
        download_url = links.download_path(subscriber)
    return render(
        request,
        "newsletter/subscribed.html",
        {"guide": selectors.lead_magnet_active(), "download_url": download_url},
    )


def _link_resend(request: HttpRequest, *, purpose: Purpose) -> HttpResponse:
    """An expired link's button: a new link to the address the old one (``token`` in the
    POST, signed for ``purpose``, however old) went to; the same answer whatever it holds."""
    if not ratelimits.place_allows(request, action="link_request"):
        return ratelimit.respond_429(request)
    subscriber, _ = selectors.subscriber_from_token(
        token=request.POST.get("token", ""), purpose=purpose
    )
    if subscriber is not None:
        tasks.link_request_process.delay(email=subscriber.email)
    return redirect("newsletter:link_sent")


@require_POST
def confirm_resend(request: HttpRequest) -> HttpResponse:
    """The expired confirmation page's button: a new link to the address the old one went to."""
    return _link_resend(request, purpose="confirm")


@never_cache
@require_GET
def download(request: HttpRequest, token: str) -> HttpResponseBase:
    """The guide PDF, as an attachment, through her signed link; each download is counted."""
    subscriber, data = selectors.subscriber_from_token(
        token=token, purpose="download", max_age=conf.DOWNLOAD_VALID
    )
    guide = selectors.lead_magnet_active()
    if subscriber is None or data is None or subscriber.confirmed_at is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    if not data.fresh:
        return render(request, "newsletter/download_expired.html", {"token": token}, status=410)
    if guide is None or not guide.pdf:
        return render(request, "newsletter/guide_missing.html", status=404)
    try:
        pdf = guide.pdf.open("rb")
    except FileNotFoundError:
        return render(request, "newsletter/guide_missing.html", status=404)
    services.guide_download_record(subscriber=subscriber, lead_magnet=guide)
    response = FileResponse(
        pdf, as_attachment=True, filename=guide.filename, content_type="application/pdf"
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
def download_resend(request: HttpRequest) -> HttpResponse:
    """The expired download page's button: a fresh link to the address the old one went to."""
    return _link_resend(request, purpose="download")


@csrf_exempt
@require_POST
def link_request(request: HttpRequest) -> HttpResponse:
    """ "Send me a fresh link" from the guide page: the same answer for every address."""
    if not ratelimits.place_allows(request, action="link_request"):
        return ratelimit.respond_429(request)
    form = LinkRequestForm(request.POST)
    if form.is_bot():
        return redirect("newsletter:link_sent")
    if not form.is_valid():
        return render(
            request, "newsletter/link_request_invalid.html", {"link_form": form}, status=400
        )
    tasks.link_request_process.delay(email=form.cleaned_data["email"])
    return redirect("newsletter:link_sent")


@public_page
def link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/link_sent.html")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """RFC 8058 one-click unsubscribe, and the page its link opens.

    POST (a mail program's ``List-Unsubscribe=One-Click``, or the page's button): no login,
    cookie or CSRF token, answered 200 without a redirect, idempotent, effective at once.
    GET only shows the button, so link scanners unsubscribe nobody.
    """
    subscriber, data = selectors.subscriber_from_token(token=token, purpose="unsubscribe")
    if data is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    if request.method == "GET":
        context = {"subscriber": subscriber, "token": token}
        return render(request, "newsletter/unsubscribe.html", context)
    if subscriber is not None:
        subscriber = services.subscriber_unsubscribe(subscriber=subscriber)
    context = {
        "subscriber": subscriber,
        "preferences_url": links.preferences_url(subscriber) if subscriber else "",
    }
    return render(request, "newsletter/unsubscribed.html", context)


@never_cache
@require_GET
def preferences_open(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed preferences link: remember her in this browser, then a clean URL."""
    subscriber, _ = selectors.subscriber_from_token(token=token, purpose="preferences")
    if subscriber is None:
        return render(request, "newsletter/link_invalid.html", status=404)
    request.session[SESSION_KEY] = subscriber.pk
    return redirect("newsletter:preferences")


@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    subscriber = _session_subscriber(request)
    if subscriber is None:
        context = {"link_form": LinkRequestForm()}
        return render(request, "newsletter/preferences_missing.html", context, status=403)
    action = request.POST.get("action", "")
    form = PreferencesForm(
        request.POST if action == "save" else None,
        initial={"tags": list(subscriber.tags.all()), "paused": subscriber.paused},
    )
    erase_form = EraseForm(request.POST if action == "erase" else None)
    if action == "save" and form.is_valid():
        services.subscriber_preferences_update(
            subscriber=subscriber,
            tag_ids=[t.pk for t in form.cleaned_data["tags"]],
            paused=form.cleaned_data["paused"],
        )
        messages.success(request, "Your preferences are saved.")
        return redirect("newsletter:preferences")
    if action == "unsubscribe":
        services.subscriber_unsubscribe(subscriber=subscriber)
        messages.success(request, "You are unsubscribed. We will not send you the newsletter.")
        return redirect("newsletter:preferences")
    if action == "resubscribe":
        evidence = _evidence(request, method="preferences", source="preferences", version="")
        services.subscriber_resubscribe(subscriber=subscriber, evidence=evidence)
        messages.success(request, "Welcome back! You are on the list again.")
        return redirect("newsletter:preferences")
    if action == "export":
        data = services.subscriber_data_export(subscriber=subscriber)
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        stamp = timezone.now().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="my-newsletter-data-{stamp}.json"'
        return response
    if action == "erase" and erase_form.is_valid():
        services.subscriber_erase(subscriber=subscriber)
        request.session.pop(SESSION_KEY, None)
        return render(request, "newsletter/erased.html")
    page = {"subscriber": subscriber, "form": form, "erase_form": erase_form}
    return render(request, "newsletter/preferences.html", page, status=400 if action else 200)


@csrf_exempt
def provider_webhook(request: HttpRequest, rest: str) -> HttpResponse:
    """django-anymail's webhook views (``anymail.urls``), only while they are authenticated.

    Without ``ANYMAIL["WEBHOOK_SECRET"]`` (basic auth, "user:password") anymail would accept
    anyone's reports; here every webhook URL is then not found instead.
    """
    if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
        raise Http404
    try:
        match = resolve(f"/{rest}", urlconf="anymail.urls")
    except Resolver404 as error:
        raise Http404 from error
    if "inbound" in (match.url_name or "inbound"):
        raise Http404  # tracking reports only: no mail is received here
    try:
        response: HttpResponse = match.func(request, *match.args, **match.kwargs)
    except ImproperlyConfigured as error:
        # A provider this practice has not set up (its signing key, its package): not found,
        # before any credentials are checked, rather than a server error for anyone.
        logger.warning("Webhook for a provider that is not set up: %s (%s)", rest, error)
        raise Http404 from error
    except (ValueError, TypeError, AttributeError, KeyError):
        # anymail parses the body after checking the credentials; a body that is not the
        # provider's JSON shape (not JSON, a list, a bare string) is refused, not a 500.
        return HttpResponseBadRequest("The report is not in the provider's format.")
    return response
