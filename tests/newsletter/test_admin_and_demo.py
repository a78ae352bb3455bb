"""Staff actions on subscribers, and the demo guide seed_demo makes."""

import io
import json

import pypdf
import pytest
from django.test import Client
from django.urls import reverse

from newsletter import demo
from newsletter.models import Campaign, LeadMagnet, Subscriber, Suppression

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:newsletter_subscriber_changelist"


def test_staff_export_her_data_and_erase_her_on_request(owner_client: Client) -> None:
    ada = Subscriber.objects.create(email="ada@example.com", first_name="Ada", status="active")
    export = owner_client.post(
        reverse(CHANGELIST), {"action": "export_data", "_selected_action": [ada.pk]}
    )
    assert json.loads(export.content)[0]["email"] == "ada@example.com"
    owner_client.post(reverse(CHANGELIST), {"action": "erase", "_selected_action": [ada.pk]})
    assert not Subscriber.objects.exists()
    assert Suppression.objects.count() == 1


def test_seed_demo_draws_the_guide_once_and_it_reads_as_eight_habits() -> None:
    demo.seed()
    demo.seed()
    guide = LeadMagnet.objects.get()
    assert guide.active
    with guide.pdf.open("rb") as pdf:
        reader = pypdf.PdfReader(io.BytesIO(pdf.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    habits = [f"{n}. " for n in range(1, 9)]
    assert all(habit in text for habit in habits)
    assert "Get up and move every hour" in text


def test_seed_demo_puts_one_sent_campaign_in_the_public_archive() -> None:
    demo.seed()
    demo.seed()

    (campaign,) = Campaign.objects.all()
    assert campaign.status == Campaign.Status.SENT
    assert not campaign.deliveries.exists()  # nobody was emailed
    archive = Client().get(reverse("newsletter:archive"))
    assert campaign.subject in archive.text
    page = Client().get(reverse("newsletter:archive_detail", kwargs={"pk": campaign.pk}))
    assert page.status_code == 200
    assert "<h2" in page.text  # its Markdown body, rendered
