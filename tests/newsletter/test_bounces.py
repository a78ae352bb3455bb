"""Bounces and complaints from the mail provider (django-anymail tracking webhooks)."""

import base64
import json
from typing import Any

import pytest
from django.test import Client

from newsletter.models import Subscriber
from newsletter.selectors import subscriber_sendable_list

pytestmark = pytest.mark.django_db

URL = "/newsletter/esp/postmark/tracking/"
SECRET = "esp-user:long-random-webhook-password"


def auth(secret: str = SECRET) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def report(record_type: str, kind: str, email: str = "Ada@Example.com", **headers: Any):
    event = {
        "RecordType": record_type,
        "Type": kind,
        "ID": 42,
        "Email": email,
        "BouncedAt": "2026-11-29T10:00:00Z",
        "MessageID": "abc",
    }
    return Client(enforce_csrf_checks=True).post(
        URL, json.dumps(event), content_type="application/json", **headers
    )


@pytest.fixture
def webhook_secret(settings) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


@pytest.fixture
def ada(db: None) -> Subscriber:
    return Subscriber.objects.create(email="ada@example.com", status=Subscriber.Status.ACTIVE)


@pytest.mark.usefixtures("webhook_secret")
def test_a_hard_bounce_marks_her_bounced_and_no_later_send_reaches_her(ada: Subscriber) -> None:
    assert report("Bounce", "HardBounce", **auth()).status_code == 200
    ada.refresh_from_db()
    assert ada.status == Subscriber.Status.BOUNCED
    assert not subscriber_sendable_list().exists()


@pytest.mark.usefixtures("webhook_secret")
def test_a_complaint_marks_her_complained_and_a_later_bounce_does_not_weaken_it(
    ada: Subscriber,
) -> None:
    report("SpamComplaint", "SpamComplaint", **auth())
    ada.refresh_from_db()
    assert ada.status == Subscriber.Status.COMPLAINED
    report("Bounce", "HardBounce", **auth())
    ada.refresh_from_db()
    assert ada.status == Subscriber.Status.COMPLAINED


@pytest.mark.usefixtures("webhook_secret")
def test_a_temporary_failure_changes_nothing(ada: Subscriber) -> None:
    report("Bounce", "Transient", **auth())
    ada.refresh_from_db()
    assert ada.status == Subscriber.Status.ACTIVE


@pytest.mark.usefixtures("webhook_secret")
def test_reports_without_the_right_credentials_are_refused(ada: Subscriber) -> None:
    assert report("Bounce", "HardBounce").status_code == 400
    assert report("Bounce", "HardBounce", **auth("esp-user:wrong")).status_code == 400
    ada.refresh_from_db()
    assert ada.status == Subscriber.Status.ACTIVE


def test_without_a_webhook_secret_the_webhooks_do_not_exist(settings, ada: Subscriber) -> None:
    settings.ANYMAIL = {}
    assert report("Bounce", "HardBounce").status_code == 404
    ada.refresh_from_db()
    assert ada.status == Subscriber.Status.ACTIVE
