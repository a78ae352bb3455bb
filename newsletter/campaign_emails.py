"""A campaign's email: rendered once per batch, then given each recipient's own links.

The template (``templates/emails/newsletter/campaign.*``) is rendered with markers where the
recipient's unsubscribe and preferences links go; ``campaign_email_for`` puts her links in.
Every recipient therefore gets the same copy, and a batch costs one render, not one per
recipient. Every email has a text and an HTML part, the practice's postal address (the
base template's footer), a "view in your browser" link to the public archive, visible
unsubscribe and preferences links, and the RFC 8058 headers.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe

from newsletter import links
from newsletter.models import Campaign, Subscriber
from practice.core.markdown import markdown_render
from practice.outbox.rendering import render_email
from practice.outbox.types import RenderedEmail

_UNSUBSCRIBE = "newsletter-unsubscribe-url-5e0c"
_PREFERENCES = "newsletter-preferences-url-5e0c"


@dataclass(frozen=True)
class CampaignEmail:
    """A rendered campaign email with markers in place of the recipient's own links."""

    subject: str
    text: str
    html: str


def campaign_body_html(campaign: Campaign) -> str:
    """The body as sanitised HTML: the copy frozen when sending started, else rendered now."""
    return campaign.body_html or markdown_render(campaign.body)


def campaign_archive_url(campaign: Campaign) -> str:
    """The absolute address of the campaign's public archive page ("view in your browser")."""
    return f"{settings.SITE_URL}{reverse('newsletter:archive_detail', kwargs={'pk': campaign.pk})}"


def campaign_email_render(*, campaign: Campaign, test: bool = False) -> CampaignEmail:
    """Subject, text and HTML of the campaign's email; ``test`` marks a test send."""
    subject, text, html = render_email(
        template="newsletter/campaign",
        context={
            "campaign": campaign,
            "body_html": mark_safe(campaign_body_html(campaign)),  # noqa: S308 (sanitised by C1)
            "archive_url": campaign_archive_url(campaign),
            "unsubscribe_url": _UNSUBSCRIBE,
            "preferences_url": _PREFERENCES,
            "test": test,
        },
    )
    return CampaignEmail(subject=subject, text=text, html=html)


def campaign_idempotency_key(*, campaign_id: int, subscriber_id: int) -> str:
    """The outbox key of one recipient's copy: one email per (campaign, subscriber), ever."""
    return f"newsletter:campaign:{campaign_id}:subscriber:{subscriber_id}"


def campaign_email_for(
    email: CampaignEmail,
    *,
    campaign: Campaign,
    subscriber: Subscriber,
    list_links: links.ListLinks | None = None,
) -> RenderedEmail:
    """Her copy: her unsubscribe and preferences links in the body and the RFC 8058 headers.

    ``list_links``, shared by the emails of a batch, reverses each kind of link once."""
    list_links = list_links or links.ListLinks()
    unsubscribe = list_links.unsubscribe_url(subscriber)
    preferences = list_links.preferences_url(subscriber)

    def personal(part: str) -> str:
        return part.replace(_UNSUBSCRIBE, unsubscribe).replace(_PREFERENCES, preferences)

    return RenderedEmail(
        to=subscriber.email,
        subject=email.subject,
        text=personal(email.text),
        html=personal(email.html),
        idempotency_key=campaign_idempotency_key(
            campaign_id=campaign.pk, subscriber_id=subscriber.pk
        ),
        headers=links.unsubscribe_headers(unsubscribe),
    )


def campaign_email_for_test(email: CampaignEmail) -> tuple[str, str]:
    """Text and HTML of a test send: the list's links lead to the site's home page."""
    home = f"{settings.SITE_URL}/"
    text = email.text.replace(_UNSUBSCRIBE, home).replace(_PREFERENCES, home)
    html = email.html.replace(_UNSUBSCRIBE, home).replace(_PREFERENCES, home)
    return text, html
