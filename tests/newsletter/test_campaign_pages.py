"""The therapist's campaign pages and the public archive, without JavaScript."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from newsletter import fanout
from newsletter.campaigns import campaign_send
from newsletter.models import Campaign
from practice.accounts.models import User
from practice.core.page_cache import STATUS_HEADER
from practice.outbox.models import OutboxMessage
from practice.scheduling.models import Job
from tests.education.helpers import article_make
from tests.newsletter.campaign_helpers import campaign_make, subscribers_make, tag_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate(settings: Any) -> None:
    settings.NEWSLETTER_RATE_PER_MINUTE = 0


def detail_url(campaign: Campaign) -> str:
    return reverse("newsletter:campaign_detail", kwargs={"pk": campaign.pk})


def test_she_writes_a_draft_for_a_segment_and_sees_how_many_it_reaches(
    therapist_client: Client,
) -> None:
    bones = tag_make("Osteoporosis")
    subscribers_make(4, tags=[bones])
    subscribers_make(3, prefix="other")

    response = therapist_client.post(
        reverse("newsletter:campaign_new"),
        {
            "subject": "Calcium at breakfast",
            "preheader": "",
            "body": "Yoghurt, *sardines* and greens.",
            "audience": "segments",
            "segments": ["osteoporosis"],
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(campaign)

    page = therapist_client.get(detail_url(campaign)).content.decode()
    assert "4 subscribers would get it" in page
    assert "Send now to 4 subscribers" in page


def test_a_form_with_mistakes_says_what_to_fix_and_keeps_the_text(
    therapist_client: Client,
) -> None:
    response = therapist_client.post(
        reverse("newsletter:campaign_new"),
        {"subject": "", "body": "My careful words", "audience": "segments"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "My careful words" in page
    assert "Choose at least one segment" in page
    assert not Campaign.objects.exists()


def test_preview_shows_the_sanitised_body_and_the_text_version(therapist_client: Client) -> None:
    campaign = campaign_make(body="**Walk** daily <img src=x onerror=alert(1)>")
    page = therapist_client.get(
        reverse("newsletter:campaign_preview", kwargs={"pk": campaign.pk})
    ).content.decode()
    assert "<strong>Walk</strong>" in page
    assert "onerror" not in page.split("<pre")[0]
    assert "**Walk** daily" in page  # the plain-text version


def test_a_test_send_goes_to_her_own_address(therapist_client: Client, therapist: User) -> None:
    campaign = campaign_make()
    response = therapist_client.post(
        reverse("newsletter:campaign_test", kwargs={"pk": campaign.pk})
    )
    assert response.status_code == 302
    [message] = OutboxMessage.objects.all()
    assert message.to == therapist.email
    assert "This is a test send" in message.text_body


def test_she_schedules_it_on_the_practice_clock(therapist_client: Client) -> None:
    campaign = campaign_make()
    response = therapist_client.post(
        reverse("newsletter:campaign_schedule", kwargs={"pk": campaign.pk}),
        {"send_at": "2099-06-01T08:00"},
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    zone = ZoneInfo("America/New_York")
    assert campaign.scheduled_at == datetime(2099, 6, 1, 8, 0, tzinfo=zone)
    assert Job.objects.get(key=f"newsletter:campaign:{campaign.pk}:start").due_at == (
        campaign.scheduled_at
    )
    page = therapist_client.get(detail_url(campaign)).content.decode()
    assert "8 a.m. EDT on Monday, June 1, 2099" in page


def test_a_time_in_the_past_is_refused_on_the_page(therapist_client: Client) -> None:
    campaign = campaign_make()
    response = therapist_client.post(
        reverse("newsletter:campaign_schedule", kwargs={"pk": campaign.pk}),
        {"send_at": "2001-01-01T08:00"},
    )
    assert response.status_code == 400
    assert "Choose a time in the future" in response.content.decode()


def test_send_pause_resume_cancel_from_the_page(therapist_client: Client) -> None:
    subscribers_make(3)
    campaign = campaign_make()

    def act(action: str) -> str:
        url = reverse(f"newsletter:campaign_{action}", kwargs={"pk": campaign.pk})
        response = therapist_client.post(url, follow=True)
        campaign.refresh_from_db()
        return str(response.content.decode())

    assert "Sending has started" in act("send")
    assert campaign.status == Campaign.Status.SENDING
    assert "Paused" in act("pause")
    assert "Sending again" in act("resume")
    assert "Cancelled" in act("cancel")
    assert "cannot be cancelled" in act("cancel")


def test_duplicate_starts_a_new_draft_from_a_sent_campaign(therapist_client: Client) -> None:
    subscribers_make(1)
    campaign = campaign_send(campaign=campaign_make())
    response = therapist_client.post(
        reverse("newsletter:campaign_duplicate", kwargs={"pk": campaign.pk})
    )
    copy = Campaign.objects.exclude(pk=campaign.pk).get()
    assert response["Location"] == reverse("newsletter:campaign_edit", kwargs={"pk": copy.pk})
    assert (copy.status, copy.subject, copy.body) == ("draft", campaign.subject, campaign.body)


def test_patients_and_visitors_cannot_reach_the_pages(
    patient_client: Client, client: Client
) -> None:
    campaign = campaign_make()
    for url in (
        reverse("newsletter:campaigns"),
        detail_url(campaign),
        reverse("newsletter:campaign_preview", kwargs={"pk": campaign.pk}),
    ):
        assert patient_client.get(url).status_code == 403
        assert client.get(url).status_code == 302  # to the login page
    send = reverse("newsletter:campaign_send", kwargs={"pk": campaign.pk})
    assert patient_client.post(send).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_the_archive_shows_sent_newsletters_and_no_subscriber(client: Client) -> None:
    readers = subscribers_make(3)
    sent = campaign_send(campaign=campaign_make(subject="Balance at the kitchen sink"))
    while fanout.campaign_batch_run(campaign_id=sent.pk) is not None:
        pass
    draft = campaign_make(subject="Not ready yet")

    listing = client.get(reverse("newsletter:archive")).content.decode()
    page = client.get(reverse("newsletter:archive_detail", kwargs={"pk": sent.pk}))
    assert "Balance at the kitchen sink" in listing
    assert "Not ready yet" not in listing
    assert page.status_code == 200
    assert "<h2>Walk every day</h2>" in page.content.decode()
    for text in (listing, page.content.decode()):
        assert not any(reader.email in text for reader in readers)
        assert "/newsletter/unsubscribe/" not in text
        assert "/newsletter/preferences/" not in text
    assert (
        client.get(reverse("newsletter:archive_detail", kwargs={"pk": draft.pk})).status_code == 404
    )


def test_she_starts_a_newsletter_from_a_published_article(
    therapist_client: Client, therapist: User, settings: Any
) -> None:
    settings.SITE_URL = "https://strongbones.example"
    article = article_make(
        therapist,
        title="Why heel drops help your hips",
        summary="A minute a day at the kitchen counter.",
        body="Stand tall and **drop your heels** ten times.\n\n- Hold the counter\n- Breathe",
    )
    draft = article_make(therapist, status="draft", title="Unfinished thoughts")

    page = therapist_client.get(reverse("newsletter:campaign_new"), {"article": article.slug})
    form = page.context["form"]
    assert form.initial["subject"] == "Why heel drops help your hips"
    assert form.initial["preheader"] == "A minute a day at the kitchen counter."
    assert "**drop your heels**" in form.initial["body"]
    assert "- Hold the counter" in form.initial["body"]
    assert f"(https://strongbones.example{article.get_absolute_url()})" in form.initial["body"]
    choices = dict(page.context["articles"].fields["article"].choices)
    assert article.slug in choices
    assert draft.slug not in choices

    refused = therapist_client.get(reverse("newsletter:campaign_new"), {"article": draft.slug})
    assert refused.status_code == 200
    assert "That article is not published" in refused.content.decode()
    assert refused.context["form"].initial == {}


def test_the_archive_lists_a_newsletter_as_soon_as_it_is_sent(client: Client) -> None:
    """The archive is a cached public page: sending and finishing a campaign refresh it."""
    subscribers_make(2)
    campaign = campaign_make(subject="Stairs are your friend")
    archive = reverse("newsletter:archive")
    page = reverse("newsletter:archive_detail", kwargs={"pk": campaign.pk})
    assert "Stairs are your friend" not in client.get(archive).content.decode()
    assert client.get(archive)[STATUS_HEADER] == "hit"
    assert client.get(page).status_code == 404

    campaign_send(campaign=campaign)
    assert client.get(page).status_code == 200
    while fanout.campaign_batch_run(campaign_id=campaign.pk) is not None:
        pass
    assert "Stairs are your friend" in client.get(archive).content.decode()
    client.get(page)
    assert client.get(page)[STATUS_HEADER] == "hit"
