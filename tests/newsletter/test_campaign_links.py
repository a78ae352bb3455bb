"""A campaign batch renders its email once and reverses each kind of link once; every
recipient's copy must still be exactly the email rendered for her alone."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.utils.safestring import mark_safe

from newsletter import links
from newsletter.campaign_emails import (
    campaign_archive_url,
    campaign_body_html,
    campaign_email_for,
    campaign_email_render,
)
from newsletter.campaigns import campaign_send
from newsletter.models import Subscriber
from practice.outbox.rendering import render_email
from tests.newsletter.campaign_helpers import campaign_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock_stopped() -> Iterator[None]:
    """A token holds the second it was made (``newsletter.tokens``): two links made one after
    the other are the same string only within one second, so the clock stands still here."""
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        yield


READERS = [
    ("o'neil+bones@example.com", "Ann & <Bea>"),
    ("zoë.müller@example.de", "Zoë Müller"),
    ("plain@example.com", ""),
]


def render_for_her_alone(campaign: Any, subscriber: Subscriber) -> tuple[str, str, str]:
    """The campaign template rendered with her own links in the context, no markers."""
    return render_email(
        template="newsletter/campaign",
        context={
            "campaign": campaign,
            "body_html": mark_safe(campaign_body_html(campaign)),  # noqa: S308 (sanitised)
            "archive_url": campaign_archive_url(campaign),
            "unsubscribe_url": links.unsubscribe_url(subscriber),
            "preferences_url": links.preferences_url(subscriber),
            "test": False,
        },
    )


def test_each_copy_equals_the_email_rendered_for_her_alone(settings: Any) -> None:
    settings.SITE_URL = "https://strongbones.example"
    readers = [
        Subscriber.objects.create(email=email, first_name=name, status="active")
        for email, name in READERS
    ]
    campaign = campaign_send(
        campaign=campaign_make(
            subject="Bones & balance: “stand tall”", body="Walk <b>daily</b> & **well**, Zoë"
        )
    )
    shared = links.ListLinks()
    email = campaign_email_render(campaign=campaign)

    for reader in readers:
        copy = campaign_email_for(email, campaign=campaign, subscriber=reader, list_links=shared)
        subject, text, html = render_for_her_alone(campaign, reader)
        assert (copy.subject, copy.text, copy.html) == (subject, text, html)
        assert copy.headers == links.list_unsubscribe_headers(reader)
        assert copy.to == reader.email


def test_links_made_for_a_batch_are_the_links_made_one_by_one(settings: Any) -> None:
    settings.SITE_URL = "https://strongbones.example"
    shared = links.ListLinks()
    for email, name in READERS:
        reader = Subscriber.objects.create(email=email, first_name=name, status="active")
        assert shared.unsubscribe_url(reader) == links.unsubscribe_url(reader)
        assert shared.preferences_url(reader) == links.preferences_url(reader)
        assert shared.unsubscribe_url(reader) != shared.unsubscribe_url(
            Subscriber(pk=reader.pk + 1000, email=email)
        )
