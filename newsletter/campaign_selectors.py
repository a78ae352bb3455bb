"""Reads of campaigns: the staff's list and progress, the audience count, the public archive."""

from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from markdownify import markdownify

from education.selectors import (
    article_absolute_url,
    article_body_html,
    article_published_get,
    article_published_list,
)
from newsletter.models import Campaign, Delivery
from newsletter.selectors import subscriber_sendable_list
from practice.outbox.models import OutboxMessage


@dataclass(frozen=True)
class Progress:
    """Where a campaign's sending stands, in numbers of recipients.

    ``sent``: accepted by the mail server; ``failed``: the outbox gave up on them;
    ``remaining``: still to go (waiting for their batch, or with the outbox, retrying);
    ``skipped``: unsubscribed, bounced, complained or paused before their batch;
    ``not_sent``: left out because the campaign was cancelled.
    """

    recipients: int
    sent: int
    failed: int
    remaining: int
    skipped: int
    not_sent: int

    @property
    def percent_done(self) -> int:
        """Sent, failed and skipped as a share of the recipients (0-100)."""
        if not self.recipients:
            return 100
        return round(100 * (self.recipients - self.remaining - self.not_sent) / self.recipients)


def campaign_list() -> QuerySet[Campaign]:
    """Every campaign, newest first, for staff."""
    return Campaign.objects.select_related("created_by").order_by("-created_at", "-pk")


def campaign_get(*, campaign_id: int) -> Campaign:
    """One campaign for staff; ``Http404`` if there is none."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404("No such campaign.")
    return campaign


def campaign_progress(*, campaign: Campaign) -> Progress:
    """Counts of the campaign's deliveries by outcome, in one query."""
    queued = Q(status=Delivery.Status.QUEUED)
    counts = Delivery.objects.filter(campaign=campaign).aggregate(
        recipients=Count("pk"),
        pending=Count("pk", filter=Q(status=Delivery.Status.PENDING)),
        skipped=Count("pk", filter=Q(status=Delivery.Status.SKIPPED)),
        sent=Count("pk", filter=queued & Q(message__status=OutboxMessage.Status.SENT)),
        failed=Count("pk", filter=queued & Q(message__status=OutboxMessage.Status.FAILED)),
        with_outbox=Count("pk", filter=queued & Q(message__status=OutboxMessage.Status.QUEUED)),
    )
    cancelled = campaign.status == Campaign.Status.CANCELLED
    return Progress(
        recipients=counts["recipients"],
        sent=counts["sent"],
        failed=counts["failed"],
        remaining=counts["with_outbox"] + (0 if cancelled else counts["pending"]),
        skipped=counts["skipped"],
        not_sent=counts["pending"] if cancelled else 0,
    )


def audience_count(*, audience_all: bool, tags: Collection[str] = ()) -> int:
    """How many subscribers a campaign to this audience would reach if sent now."""
    if audience_all:
        return subscriber_sendable_list().count()
    if not tags:
        return 0
    return subscriber_sendable_list(tags=list(tags)).count()


def campaign_recipient_count(*, campaign: Campaign) -> int:
    """Its recipients: fixed once it started, else whom it would reach now."""
    if not campaign.editable:
        return campaign.deliveries.count()
    return audience_count(
        audience_all=campaign.audience_all,
        tags=list(campaign.audience_tags.values_list("slug", flat=True)),
    )


def archive_list() -> QuerySet[Campaign]:
    """The public archive: sent campaigns, newest first (content only, no recipient data)."""
    return Campaign.objects.filter(status=Campaign.Status.SENT).order_by("-started_at", "-pk")


def archive_get(*, campaign_id: int) -> Campaign:
    """A campaign's public page ("view in your browser"): any campaign that went out to
    someone, even while it is still sending; drafts and scheduled ones are ``Http404``."""
    campaign = Campaign.objects.filter(pk=campaign_id, status__in=Campaign.STARTED).first()
    if campaign is None:
        raise Http404("No such newsletter.")
    if (
        campaign.status == Campaign.Status.CANCELLED
        and not campaign.deliveries.filter(status=Delivery.Status.QUEUED).exists()
    ):
        raise Http404("No such newsletter.")  # cancelled before anyone got it
    return campaign


def article_choices() -> list[tuple[str, str]]:
    """Published articles a campaign can start from: (slug, title), newest first."""
    return list(article_published_list().values_list("slug", "title"))


def campaign_draft_from_article(*, slug: str) -> dict[str, str]:
    """A campaign's fields pre-filled from a published article (``Http404`` if there is none):
    its title as the subject, its summary as the preview line, and its body (embeds resolved,
    links absolute) turned back into Markdown she can edit, ending with a link to read it on
    the website."""
    article = article_published_get(slug=slug)
    html = article_body_html(article, base_url=settings.SITE_URL)
    body = markdownify(html, heading_style="ATX", bullets="-").strip()
    read_more = f"[Read it on our website]({article_absolute_url(article)})"
    return {
        "subject": article.title[:200],
        "preheader": (article.summary or "")[:200],
        "body": f"{body}\n\n{read_more}\n",
        "source_article": article.slug,
    }
