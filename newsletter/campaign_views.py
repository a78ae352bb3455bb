"""The therapist's campaign pages (writing, preview, test send, sending) and the public
archive of sent newsletters. Thin: parse, authorise, call the services, render."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from newsletter import campaign_selectors as selectors
from newsletter import campaigns as services
from newsletter.campaign_emails import campaign_body_html
from newsletter.campaign_forms import ArticleChoiceForm, CampaignForm, ScheduleForm
from newsletter.models import Campaign
from practice.accounts.decorators import therapist_required
from practice.core.localtime import format_moment
from practice.core.page_cache import public_page
from practice.core.selectors import practice_zone


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@therapist_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "newsletter/campaigns/list.html", {"campaigns": selectors.campaign_list()}
    )


@therapist_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    """A blank draft, or one pre-filled from a published article (``?article=<slug>``)."""
    initial: dict[str, str] = {}
    slug = request.GET.get("article", "")
    if slug and request.method != "POST":
        try:
            initial = selectors.campaign_draft_from_article(slug=slug)
        except Http404:
            messages.error(request, "That article is not published, so it cannot be used.")
    form = CampaignForm(request.POST if request.method == "POST" else None, initial=initial)
    articles = ArticleChoiceForm(
        initial={"article": slug}, choices=[("", "Choose an article"), *selectors.article_choices()]
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(**form.service_arguments(), created_by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your draft is saved. Preview it or send yourself a test.")
            return redirect("newsletter:campaign_detail", pk=campaign.pk)
    context = {"form": form, "campaign": None, "articles": articles}
    return render(request, "newsletter/campaigns/form.html", context)


@therapist_required
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(campaign_id=pk)
    if not campaign.editable:
        messages.error(request, "This campaign has started: its content can no longer change.")
        return redirect("newsletter:campaign_detail", pk=campaign.pk)
    form = CampaignForm(
        request.POST if request.method == "POST" else None,
        initial=CampaignForm.initial_from(campaign),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign=campaign, **form.service_arguments())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Your changes are saved.")
            return redirect("newsletter:campaign_detail", pk=campaign.pk)
    return render(request, "newsletter/campaigns/form.html", {"form": form, "campaign": campaign})


@therapist_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(campaign_id=pk)
    return _detail(request, campaign, ScheduleForm(zone=practice_zone()))


def _detail(
    request: HttpRequest, campaign: Campaign, schedule_form: ScheduleForm, status: int = 200
) -> HttpResponse:
    zone = practice_zone()
    context = {
        "campaign": campaign,
        "progress": selectors.campaign_progress(campaign=campaign),
        "recipients": selectors.campaign_recipient_count(campaign=campaign),
        "segments": list(campaign.audience_tags.all()),
        "schedule_form": schedule_form,
        "zone_name": str(zone),
        "scheduled_for": format_moment(campaign.scheduled_at, zone=zone)
        if campaign.scheduled_at
        else "",
        "started": format_moment(campaign.started_at, zone=zone) if campaign.started_at else "",
        "finished": format_moment(campaign.finished_at, zone=zone) if campaign.finished_at else "",
    }
    return render(request, "newsletter/campaigns/detail.html", context, status=status)


@therapist_required
def campaign_preview(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(campaign_id=pk)
    return render(
        request,
        "newsletter/campaigns/preview.html",
        {"campaign": campaign, "body_html": campaign_body_html(campaign)},
    )


def _action_view(
    service: Callable[..., object], done: str, *, to_self: bool = False
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A POST-only page action on one campaign: ``service(campaign=...)`` (``to=`` the
    signed-in user's address when ``to_self``), then back to the campaign's page with ``done``
    (``{email}``: that address) or the service's refusal (its ValidationError) as the notice."""

    @require_POST
    @therapist_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        campaign = selectors.campaign_get(campaign_id=pk)
        email = str(getattr(request.user, "email", ""))
        try:
            service(campaign=campaign, **({"to": email} if to_self else {}))
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, done.format(email=email))
        return redirect("newsletter:campaign_detail", pk=campaign.pk)

    return view


campaign_send = _action_view(
    services.campaign_send, "Sending has started. This page shows how far it has got."
)
campaign_unschedule = _action_view(
    services.campaign_unschedule, "It is a draft again and will not go out on its own."
)
campaign_pause = _action_view(
    services.campaign_pause, "Paused: no more emails go out until you resume."
)
campaign_resume = _action_view(services.campaign_resume, "Sending again, from where it stopped.")
campaign_cancel = _action_view(services.campaign_cancel, "Cancelled: nobody else will get it.")
campaign_test = _action_view(
    services.campaign_test_send, "A test is on its way to {email}.", to_self=True
)


@require_POST
@therapist_required
def campaign_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(campaign_id=pk)
    form = ScheduleForm(request.POST, zone=practice_zone())
    if form.is_valid():
        try:
            services.campaign_schedule(campaign=campaign, at=form.cleaned_data["send_at"])
        except ValidationError as exc:
            form.add_error("send_at" if hasattr(exc, "error_dict") else None, _errors(exc))
        else:
            campaign.refresh_from_db()
            assert campaign.scheduled_at is not None
            when = format_moment(campaign.scheduled_at, zone=practice_zone())
            messages.success(request, f"It will go out at {when}.")
            return redirect("newsletter:campaign_detail", pk=campaign.pk)
    return _detail(request, campaign, form, status=400)


@require_POST
@therapist_required
def campaign_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(campaign_id=pk)
    copy = services.campaign_duplicate(campaign=campaign, created_by=request.user)
    messages.success(request, "This is a new draft, copied from the earlier campaign.")
    return redirect("newsletter:campaign_edit", pk=copy.pk)


@public_page
def archive_list(request: HttpRequest) -> HttpResponse:
    return render(request, "newsletter/archive/list.html", {"campaigns": selectors.archive_list()})


@public_page
def archive_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.archive_get(campaign_id=pk)
    zone = practice_zone()
    return render(
        request,
        "newsletter/archive/detail.html",
        {
            "campaign": campaign,
            "body_html": campaign_body_html(campaign),
            "sent_on": format_moment(campaign.started_at, zone=zone) if campaign.started_at else "",
        },
    )
