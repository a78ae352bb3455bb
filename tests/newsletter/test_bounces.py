"""Bounces and complaints from the mail provider (django-anymail's Postmark tracking webhook,
the provider ``ESP_BACKEND`` names in the README), with Postmark's own payload shapes."""

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from newsletter.bounces import ProviderReport, provider_report_apply, status_code_parse
from newsletter.models import BounceEvent, Delivery, Subscriber
from newsletter.selectors import subscriber_sendable_list
from practice.outbox.models import OutboxMessage
from tests.newsletter.campaign_helpers import campaign_make

URL = "/newsletter/esp/postmark/tracking/"
SECRET = "esp-user:long-random-webhook-password"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
HARD_DETAILS = "smtp;550 5.1.1 The email account that you tried to reach does not exist."
FULL_DETAILS = "smtp;452 4.2.2 The email account that you tried to reach is over quota."


def auth(secret: str = SECRET) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def post(event: dict[str, Any], **headers: Any):
    return Client(enforce_csrf_checks=True).post(
        URL, json.dumps(event), content_type="application/json", **headers
    )


def bounce(
    kind: str = "HardBounce",
    *,
    event_id: int = 42,
    at: datetime = START,
    details: str = HARD_DETAILS,
    email: str = "Ada@Example.com",
    metadata: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A Postmark bounce webhook body (RecordType "Bounce"; Postmark's documented fields)."""
    record_type = "SpamComplaint" if kind == "SpamComplaint" else "Bounce"
    return {
        "RecordType": record_type,
        "MessageStream": "broadcast",
        "ID": event_id,
        "Type": kind,
        "TypeCode": {"HardBounce": 1, "Transient": 2, "SoftBounce": 4096}.get(kind, 512),
        "Name": kind,
        "Tag": "",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Metadata": metadata or {},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message.",
        "Details": details,
        "Email": email,
        "From": "practice@example.com",
        "BouncedAt": at.isoformat().replace("+00:00", "Z"),
        "DumpAvailable": False,
        "Inactive": kind == "HardBounce",
        "CanActivate": True,
        "Subject": "Five ways to build bone this spring",
    }


def delivery(at: datetime, email: str = "ada@example.com") -> dict[str, Any]:
    """A Postmark delivery webhook body (no ID: Postmark gives delivery events none)."""
    return {
        "RecordType": "Delivery",
        "MessageStream": "broadcast",
        "ServerID": 23,
        "MessageID": "9b2c1f04-1111-4a2a-b16a-77a8eac79483",
        "Recipient": email,
        "Tag": "",
        "DeliveredAt": at.isoformat().replace("+00:00", "Z"),
        "Details": "smtp;250 2.0.0 OK",
        "Metadata": {},
    }


def soft(event_id: int, hours: float) -> dict[str, Any]:
    return bounce(
        "SoftBounce", event_id=event_id, at=START + timedelta(hours=hours), details=FULL_DETAILS
    )


def status(subscriber: Subscriber) -> str:
    subscriber.refresh_from_db()
    return subscriber.status


@pytest.fixture
def webhook_secret(settings) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


@pytest.fixture
def ada(db: None) -> Subscriber:
    return Subscriber.objects.create(email="ada@example.com", status=Subscriber.Status.ACTIVE)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("webhook_secret")]


def test_a_hard_bounce_suppresses_her_at_once_and_says_why(ada: Subscriber) -> None:
    assert post(bounce(), **auth()).status_code == 200

    assert status(ada) == Subscriber.Status.BOUNCED
    assert not subscriber_sendable_list().exists()
    (event,) = ada.bounces.all()
    assert (event.kind, event.status_code, event.suppressed) == ("hard", "5.1.1", True)
    assert event.occurred_at == START
    assert "does not exist" in event.diagnostic


def test_a_bounce_with_a_temporary_status_is_soft_whatever_anymail_calls_it(
    ada: Subscriber,
) -> None:
    post(bounce("HardBounce", details=FULL_DETAILS), **auth())  # 4.2.2: mailbox full
    assert status(ada) == Subscriber.Status.ACTIVE
    assert ada.bounces.get().kind == "soft"


@pytest.mark.parametrize(
    ("kind", "details"),
    [
        ("HardBounce", "smtp;552 5.2.2 Mailbox full"),  # RFC 3463: mailbox full may clear
        ("SoftBounce", "smtp;550 Mailbox temporarily disabled"),  # Postmark's own verdict
    ],
)
def test_a_full_mailbox_or_the_providers_soft_verdict_is_only_counted(
    ada: Subscriber, kind: str, details: str
) -> None:
    post(bounce(kind, details=details), **auth())
    assert status(ada) == Subscriber.Status.ACTIVE
    assert ada.bounces.get().kind == "soft"


def test_a_complaint_suppresses_at_once_and_a_later_bounce_does_not_weaken_it(
    ada: Subscriber,
) -> None:
    post(bounce("SpamComplaint", event_id=7, details=""), **auth())
    assert status(ada) == Subscriber.Status.COMPLAINED
    post(bounce("HardBounce", event_id=8), **auth())
    assert status(ada) == Subscriber.Status.COMPLAINED
    assert list(ada.bounces.order_by("pk").values_list("kind", "suppressed")) == [
        ("complaint", True),
        ("hard", False),
    ]


def test_one_soft_bounce_is_recorded_and_she_stays_on_the_list(ada: Subscriber) -> None:
    post(soft(1, 0), **auth())
    assert status(ada) == Subscriber.Status.ACTIVE
    event = ada.bounces.get()
    assert (event.kind, event.status_code, event.suppressed) == ("soft", "4.2.2", False)
    assert subscriber_sendable_list().filter(pk=ada.pk).exists()


def test_three_soft_bounces_within_a_day_do_not_suppress_her(ada: Subscriber) -> None:
    for n, hours in enumerate([0, 6, 23], start=1):
        post(soft(n, hours), **auth())
    assert status(ada) == Subscriber.Status.ACTIVE


def test_soft_bounces_that_persist_72_hours_suppress_her_on_the_third(ada: Subscriber) -> None:
    post(soft(1, 0), **auth())
    post(soft(2, 36), **auth())
    assert status(ada) == Subscriber.Status.ACTIVE
    post(soft(3, 72), **auth())
    assert status(ada) == Subscriber.Status.BOUNCED
    assert ada.bounces.get(event_id="3").suppressed


def test_a_delivery_between_soft_bounces_resets_the_count(ada: Subscriber) -> None:
    post(soft(1, 0), **auth())
    post(soft(2, 36), **auth())
    post(delivery(START + timedelta(hours=40)), **auth())
    post(soft(3, 72), **auth())
    post(soft(4, 110), **auth())
    assert status(ada) == Subscriber.Status.ACTIVE  # two since the delivery
    post(soft(5, 150), **auth())
    assert status(ada) == Subscriber.Status.BOUNCED  # three since it, 78 hours apart


def test_a_late_delivery_report_still_clears_the_soft_bounces_before_it(
    ada: Subscriber,
) -> None:
    post(delivery(START + timedelta(hours=40)), **auth())  # arrives first
    post(soft(1, 0), **auth())  # reports from before it, arriving late
    post(soft(2, 36), **auth())
    post(soft(3, 80), **auth())
    assert status(ada) == Subscriber.Status.ACTIVE


def test_the_same_report_sent_again_counts_once(ada: Subscriber) -> None:
    for _ in range(3):
        post(soft(1, 0), **auth())
    post(soft(2, 80), **auth())
    assert ada.bounces.count() == 2
    assert status(ada) == Subscriber.Status.ACTIVE


def test_a_provider_deferral_counts_as_a_soft_bounce(ada: Subscriber) -> None:
    for n, hours in enumerate([0, 40, 80], start=1):
        event = bounce("Transient", event_id=n, at=START + timedelta(hours=hours), details="")
        post(event, **auth())
    assert set(ada.bounces.values_list("kind", flat=True)) == {"soft"}
    assert status(ada) == Subscriber.Status.BOUNCED


def test_a_bounce_names_the_campaign_and_the_email_it_is_about(ada: Subscriber) -> None:
    campaign = campaign_make()
    key = f"newsletter:campaign:{campaign.pk}:subscriber:{ada.pk}"
    message = OutboxMessage.objects.create(
        idempotency_key=key,
        sender="practice@example.com",
        to=ada.email,
        subject=campaign.subject,
        text_body="...",
        message_id_header="<c1@example.com>",
        status=OutboxMessage.Status.SENT,
    )
    Delivery.objects.create(campaign=campaign, subscriber=ada, message=message, status="queued")

    post(bounce(metadata={"outbox_key": key}), **auth())

    event = ada.bounces.get()
    assert (event.campaign, event.message_key) == (campaign, key)


def test_reports_about_addresses_not_on_the_list_keep_nothing(ada: Subscriber) -> None:
    assert post(bounce(email="stranger@example.com"), **auth()).status_code == 200
    assert not BounceEvent.objects.exists()


def test_the_therapist_sees_in_the_admin_why_she_was_suppressed(
    ada: Subscriber, owner_client: Client
) -> None:
    post(bounce(), **auth())
    page = owner_client.get(reverse("admin:newsletter_subscriber_change", args=[ada.pk]))
    text = page.content.decode()
    assert "Hard bounce (permanent)" in text
    assert "5.1.1" in text
    assert "does not exist" in text
    export = owner_client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "export_data", "_selected_action": [ada.pk]},
    )
    (bounce_data,) = json.loads(export.content)[0]["bounces"]
    assert (bounce_data["kind"], bounce_data["status_code"]) == ("hard", "5.1.1")
    log = owner_client.get(reverse("admin:newsletter_bounceevent_changelist"))
    assert log.status_code == 200
    assert "ada@example.com" in log.content.decode()


def test_reports_without_the_right_credentials_are_refused(ada: Subscriber) -> None:
    assert post(bounce()).status_code == 400
    assert post(bounce(), **auth("esp-user:wrong")).status_code == 400
    assert status(ada) == Subscriber.Status.ACTIVE
    assert not BounceEvent.objects.exists()


def test_without_a_webhook_secret_the_webhooks_do_not_exist(settings, ada: Subscriber) -> None:
    settings.ANYMAIL = {}
    assert post(bounce()).status_code == 404
    assert status(ada) == Subscriber.Status.ACTIVE


@pytest.mark.parametrize(
    ("texts", "code"),
    [
        (("smtp;550 5.1.1 <ada@example.com>: Recipient address rejected",), "5.1.1"),
        (("452-4.2.2 The email account is over quota",), "4.2.2"),
        (("smtp;554 Message rejected",), "554"),
        (("", "Mailbox unavailable (5.7.1)"), "5.7.1"),
        (("Test bounce details", "unknown user"), ""),
        (("Delivered after 3.14.15 seconds",), ""),
    ],
)
def test_status_codes_are_read_as_rfc_3463_then_rfc_5321(texts: tuple[str, ...], code: str) -> None:
    assert status_code_parse(*texts) == code


def subscription_change(reason: str, at: datetime = START) -> dict[str, Any]:
    """A Postmark SubscriptionChange webhook body (no ID: Postmark gives these none)."""
    return {
        "RecordType": "SubscriptionChange",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "ServerID": 23,
        "MessageStream": "broadcast",
        "ChangedAt": at.isoformat().replace("+00:00", "Z"),
        "Recipient": "ada@example.com",
        "Origin": "Recipient",
        "SuppressSending": True,
        "SuppressionReason": reason,
        "Tag": "",
        "Metadata": {},
    }


def test_an_unsubscribe_at_the_provider_is_recorded_once_and_takes_her_off(
    ada: Subscriber,
) -> None:
    for _ in range(2):  # Postmark retries a webhook it thinks failed
        assert post(subscription_change("ManualSuppression"), **auth()).status_code == 200
    assert status(ada) == Subscriber.Status.UNSUBSCRIBED
    (event,) = ada.bounces.all()
    assert (event.kind, event.suppressed) == ("unsubscribe", True)
    assert event.event_id.startswith("derived:")


def test_a_suppression_the_provider_made_for_a_hard_bounce_marks_her_bounced(
    ada: Subscriber,
) -> None:
    post(subscription_change("HardBounce"), **auth())
    assert status(ada) == Subscriber.Status.BOUNCED


@pytest.mark.parametrize(
    "path",
    [
        "mailgun/tracking/",  # needs its own signing key, not set here
        "mandrill/tracking/",
        "postal/tracking/",
        "mailersend/tracking/",
        "unisender_go/tracking/",
        "amazon_ses/tracking/",  # needs boto3, not installed
        "amazon_ses/inbound/",  # inbound mail is not read here at all
        "postmark/inbound/",
    ],
)
def test_a_provider_not_set_up_here_is_not_found_for_a_visitor_without_credentials(
    path: str, ada: Subscriber
) -> None:
    credentials: list[dict[str, Any]] = [{}, auth()]
    for headers in credentials:
        answer = Client().post(
            f"/newsletter/esp/{path}", "{}", content_type="application/json", **headers
        )
        assert answer.status_code == 404
    assert status(ada) == Subscriber.Status.ACTIVE


@pytest.mark.parametrize(
    ("kind", "details"),
    [
        # Postmark: "the message was blocked by the ISP ... your sending reputation"
        ("Blocked", "smtp;550 5.7.1 Message rejected due to local policy"),
        # Postmark: "the message was rejected due to DMARC policy" (the practice's DNS)
        ("DMARCPolicy", "smtp;550 5.7.26 Unauthenticated email is not accepted"),
        # Postmark: a virus scanner's notice about the message, not her address
        ("VirusNotification", "The message contained a virus"),
    ],
)
def test_a_rejection_for_the_practices_sending_not_her_address_is_only_counted(
    ada: Subscriber, kind: str, details: str
) -> None:
    assert post(bounce(kind, details=details), **auth()).status_code == 200
    assert status(ada) == Subscriber.Status.ACTIVE
    (event,) = ada.bounces.all()
    assert (event.kind, event.suppressed) == ("soft", False)


@pytest.mark.parametrize(
    ("texts", "code"),
    [
        (("smtp;554 Your address 85.4.1.1 is on a block list",), "554"),
        (("smtp;550 rejected by mx 192.5.1.10",), "550"),
        (("smtp;550 5.1.1 unknown user at 10.4.2.2",), "5.1.1"),
    ],
)
def test_an_ip_address_in_the_answer_is_not_read_as_a_status_code(
    texts: tuple[str, ...], code: str
) -> None:
    assert status_code_parse(*texts) == code


def test_a_report_dated_in_the_future_does_not_stop_soft_bounces_counting(ada: Subscriber) -> None:
    """A provider's clock far ahead must not clear every soft bounce to come."""
    with time_machine.travel(START, tick=False):
        post(delivery(datetime(2099, 1, 1, tzinfo=UTC)), **auth())
    for event_id, hours in ((1, 1), (2, 40), (3, 80)):
        with time_machine.travel(START + timedelta(hours=hours), tick=False):
            post(soft(event_id, hours), **auth())
    assert status(ada) == Subscriber.Status.BOUNCED


def test_one_provider_event_about_two_recipients_suppresses_both(ada: Subscriber) -> None:
    """Amazon SES sends one notification (one event id) listing every bounced recipient;
    anymail gives one event per recipient, all with that id."""
    grace = Subscriber.objects.create(email="grace@example.com", status=Subscriber.Status.ACTIVE)
    for recipient in ("ada@example.com", "grace@example.com"):
        provider_report_apply(
            report=ProviderReport(
                provider="amazon_ses",
                event_type="bounced",
                recipient=recipient,
                event_id="0000018c-sns-message-id",
                diagnostic="smtp; 550 5.1.1 user unknown",
            )
        )
    assert (status(ada), status(grace)) == (Subscriber.Status.BOUNCED,) * 2


def test_a_provider_event_id_longer_than_usual_is_recorded(ada: Subscriber) -> None:
    long_id = "x" * 500
    report = ProviderReport(
        provider="postmark", event_type="bounced", recipient="ada@example.com", event_id=long_id
    )
    assert provider_report_apply(report=report) is not None
    assert provider_report_apply(report=report) is None  # the same report again counts once
    assert status(ada) == Subscriber.Status.BOUNCED


def test_a_nul_character_in_the_servers_answer_does_not_lose_the_bounce(ada: Subscriber) -> None:
    """PostgreSQL text cannot hold NUL; the report is still recorded and applied (refusing
    it would make the provider retry it until it gives up, and she would never be suppressed)."""
    answer = post(bounce(details="smtp;550 5.1.1 no such\x00 user"), **auth())
    assert answer.status_code == 200
    assert status(ada) == Subscriber.Status.BOUNCED
    assert ada.bounces.get().diagnostic == "smtp;550 5.1.1 no such user"


def test_a_brevo_soft_bounce_without_a_status_code_is_only_counted(ada: Subscriber) -> None:
    """Brevo says "soft_bounce" itself, often with a reason and no status code."""
    event = {
        "event": "soft_bounce",
        "email": "ada@example.com",
        "id": 1234,
        "date": "2026-11-02 10:00:00",
        "ts_epoch": 1793613600000,
        "message-id": "<201798300811.5787683@relay.domain.com>",
        "reason": "Mailbox full",
        "tag": "",
    }
    headers: dict[str, Any] = auth()
    answer = Client().post(
        "/newsletter/esp/brevo/tracking/", json.dumps(event), "application/json", **headers
    )
    assert answer.status_code == 200
    assert status(ada) == Subscriber.Status.ACTIVE
    assert ada.bounces.get().kind == "soft"
