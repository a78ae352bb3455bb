"""The guide: signed 30-day links, served as a PDF attachment, counted, and fresh links."""

import io
from datetime import timedelta

import pypdf
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter import links
from newsletter.models import GuideDownload, Subscriber
from tests.newsletter.helpers import emails_to, guide_create, link_in, signup

pytestmark = pytest.mark.django_db


def confirmed(email: str = "ada@example.com") -> Subscriber:
    signup(email=email)
    Client().get(link_in(emails_to(email)[0], "newsletter:confirm"))
    return Subscriber.objects.get(email=email)


def test_the_download_link_serves_the_pdf_as_an_attachment_and_counts_each_download() -> None:
    guide = guide_create()
    subscriber = confirmed()
    link = link_in(emails_to(subscriber.email)[-1], "newsletter:download")
    for _ in range(2):
        response = Client().get(link)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="8-lifestyle-changes-for-better-bone-health.pdf"'
        )
        reader = pypdf.PdfReader(io.BytesIO(response.getvalue()))
        text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
        assert reader.metadata is not None
        assert reader.metadata.title == "8 Lifestyle Changes for Better Bone Health"
        assert "8 Lifestyle Changes for Better Bone Health" in text
        assert all(f"{n}. " in text for n in range(1, 9))  # eight habits
        assert "Practise your balance every day" in text
    assert GuideDownload.objects.filter(subscriber=subscriber, lead_magnet=guide).count() == 2


def test_the_file_is_served_only_through_a_valid_link() -> None:
    guide = guide_create()
    subscriber = confirmed()
    link = link_in(emails_to(subscriber.email)[-1], "newsletter:download")
    token = link.split("/")[-2]
    tampered = reverse("newsletter:download", kwargs={"token": token[:-2] + "xx"})
    assert Client().get(tampered).status_code == 404
    # Another purpose's token (her unsubscribe link) is not a download link.
    unsubscribe_token = links.unsubscribe_url(subscriber).split("/")[-2]
    other = reverse("newsletter:download", kwargs={"token": unsubscribe_token})
    assert Client().get(other).status_code == 404
    # The media URL of the stored file is not public either.
    assert str(guide.pdf.name).startswith("newsletter/guides/")
    assert GuideDownload.objects.count() == 0


def test_a_pending_subscriber_has_no_download_even_with_a_genuine_token() -> None:
    guide_create()
    signup()
    pending = Subscriber.objects.get()
    assert Client().get(links.download_url(pending)).status_code == 404


def test_after_30_days_the_link_expires_and_offers_a_fresh_one() -> None:
    guide_create()
    subscriber = confirmed()
    link = link_in(emails_to(subscriber.email)[-1], "newsletter:download")
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert Client().get(link).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        browser = Client()
        response = browser.get(link)
        assert response.status_code == 410
        assert "This download link has expired" in response.text
        browser.post(reverse("newsletter:download_resend"), {"token": link.split("/")[-2]})
        fresh = link_in(emails_to(subscriber.email)[-1], "newsletter:download")
        assert Client().get(fresh).status_code == 200


def test_send_me_a_fresh_link_answers_alike_for_every_address() -> None:
    guide_create()
    subscriber = confirmed()
    before = len(emails_to(subscriber.email))
    known = Client().post(reverse("newsletter:link_request"), {"email": subscriber.email})
    unknown = Client().post(reverse("newsletter:link_request"), {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(emails_to(subscriber.email)) == before + 1
    assert emails_to("nobody@example.com") == []
    assert (
        Client().get(link_in(emails_to(subscriber.email)[-1], "newsletter:download")).status_code
        == 200
    )
