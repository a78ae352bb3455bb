"""The confirmation evidence is labelled for what it is: the first request that opened the
link, which may be her mail provider's scanner; her sign-up's own request is kept apart."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from newsletter.models import ConsentRecord, Subscriber
from tests.newsletter.helpers import UA, emails_to, guide_create, link_in, signup

pytestmark = pytest.mark.django_db

SCANNER_UA = "Mozilla/5.0 (compatible; SafeLinks link checker)"


def test_the_first_opener_is_kept_as_confirmation_evidence_beside_the_sign_up(
    owner_client: Client,
) -> None:
    guide_create()
    signup(ip="203.0.113.7")
    confirm = link_in(emails_to("ada@example.com")[0], "newsletter:confirm")
    Client().get(confirm, REMOTE_ADDR="192.0.2.50", HTTP_USER_AGENT=SCANNER_UA)  # the scanner
    Client().get(confirm, REMOTE_ADDR="198.51.100.4", HTTP_USER_AGENT="Her phone")  # her

    ada = Subscriber.objects.get()
    assert (ada.confirmed_ip, ada.confirmed_user_agent) == ("192.0.2.50", SCANNER_UA)
    consent = ConsentRecord.objects.get()
    assert (consent.ip_address, consent.user_agent) == ("203.0.113.7", UA)

    changelist = reverse("admin:newsletter_subscriber_changelist")
    export = owner_client.post(changelist, {"action": "export_data", "_selected_action": [ada.pk]})
    (data,) = json.loads(export.content)
    assert data["confirmed_user_agent"] == SCANNER_UA
    assert "mail scanner" in data["confirmation_evidence_note"]
    page = owner_client.get(reverse("admin:newsletter_subscriber_change", args=[ada.pk]))
    assert "IP that first opened the link" in page.text
    assert "May be a mail scanner" in page.text
