"""The staff API of campaigns: the same rules as the pages, for therapists who passed
two-factor login only, described in the OpenAPI schema."""

import json
from typing import Any

import pytest
from django.test import Client
from openapi_spec_validator import validate

from newsletter import fanout
from newsletter.models import Campaign
from practice.accounts.models import User
from practice.outbox.models import OutboxMessage
from tests.fixtures.accounts import therapist_create
from tests.newsletter.campaign_helpers import campaign_make, subscribers_make, tag_make

pytestmark = pytest.mark.django_db

BASE = "/api/v1/newsletter/campaigns/"
NEW = {
    "subject": "Strong bones in winter",
    "preheader": "Three habits for the dark months",
    "body": "Keep **walking**, even indoors.",
    "audience": "all",
}


def post(client: Client, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body["error"]) == {"status", "code", "message", "fields"}
    error: dict[str, Any] = body["error"]
    return error


@pytest.fixture(autouse=True)
def _no_rate(settings: Any) -> None:
    settings.NEWSLETTER_RATE_PER_MINUTE = 0


def test_a_therapist_writes_sends_and_follows_a_campaign(therapist_client: Client) -> None:
    subscribers_make(3)

    created = post(therapist_client, BASE, NEW)
    assert created.status_code == 201, created.content
    campaign = created.json()
    assert campaign["status"] == "draft"
    assert campaign["audience"] == "all"
    assert campaign["recipients"] == 3

    sent = post(therapist_client, f"{BASE}{campaign['id']}/send/")
    assert sent.status_code == 200
    assert sent.json()["status"] == "sending"
    assert (sent.json()["sent"], sent.json()["remaining"]) == (0, 3)

    while fanout.campaign_batch_run(campaign_id=campaign["id"]) is not None:
        pass
    OutboxMessage.objects.update(status="sent")
    progress = therapist_client.get(f"{BASE}{campaign['id']}/").json()
    assert progress["status"] == "sent"
    assert (progress["sent"], progress["failed"], progress["remaining"]) == (3, 0, 0)
    assert progress["archive_url"].endswith(f"/newsletter/archive/{campaign['id']}/")


def test_pause_resume_and_cancel_follow_the_campaign_state(therapist_client: Client) -> None:
    subscribers_make(2)
    campaign = campaign_make()
    url = f"{BASE}{campaign.pk}/"

    refused = post(therapist_client, f"{url}pause/")
    assert refused.status_code == 409
    assert "Only a campaign that is sending" in error_of(refused)["message"]

    assert post(therapist_client, f"{url}send/").json()["status"] == "sending"
    assert post(therapist_client, f"{url}send/").status_code == 409
    assert post(therapist_client, f"{url}pause/").json()["status"] == "paused"
    assert post(therapist_client, f"{url}resume/").json()["status"] == "sending"
    assert post(therapist_client, f"{url}cancel/").json()["status"] == "cancelled"
    assert post(therapist_client, f"{url}resume/").status_code == 409


def test_send_with_a_time_schedules_it(therapist_client: Client) -> None:
    campaign = campaign_make()
    response = post(
        therapist_client, f"{BASE}{campaign.pk}/send/", {"scheduled_at": "2099-03-01T09:30:00Z"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "scheduled"
    assert response.json()["scheduled_at"].startswith("2099-03-01T")

    bad = post(therapist_client, f"{BASE}{campaign.pk}/send/", {"scheduled_at": "tomorrow"})
    assert bad.status_code == 400
    assert "scheduled_at" in error_of(bad)["fields"]


def test_a_campaign_to_segments_names_them_and_unknown_ones_are_refused(
    therapist_client: Client,
) -> None:
    tag_make("Osteoporosis")
    ok = post(therapist_client, BASE, {**NEW, "audience": ["osteoporosis"]})
    assert ok.status_code == 201
    assert ok.json()["audience"] == ["osteoporosis"]

    for audience in (["no-such-segment"], [], "some", [3]):
        bad = post(therapist_client, BASE, {**NEW, "audience": audience})
        assert bad.status_code == 400, audience
        assert "audience" in error_of(bad)["fields"]


def test_missing_fields_are_named(therapist_client: Client) -> None:
    bad = post(therapist_client, BASE, {"subject": " "})
    assert bad.status_code == 400
    assert {"subject", "body", "audience"} <= set(error_of(bad)["fields"])


def test_a_test_send_goes_to_the_signed_in_therapist_only(
    therapist_client: Client, therapist: User
) -> None:
    subscribers_make(2)
    campaign = campaign_make()
    response = post(therapist_client, f"{BASE}{campaign.pk}/test/")

    assert response.status_code == 202
    assert response.json() == {"to": therapist.email}
    [message] = OutboxMessage.objects.filter(idempotency_key__contains=":test:")
    assert message.to == therapist.email
    assert message.subject == "[Test] Five ways to build bone this spring"
    assert "List-Unsubscribe" not in message.headers
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_an_unknown_campaign_is_not_found(therapist_client: Client) -> None:
    assert therapist_client.get(f"{BASE}999999/").status_code == 404
    assert post(therapist_client, f"{BASE}999999/send/").status_code == 404


def test_patients_and_visitors_cannot_use_it(patient_client: Client, client: Client) -> None:
    campaign = campaign_make()
    for who in (patient_client, client):
        assert who.get(f"{BASE}{campaign.pk}/").status_code in (401, 403)
        assert post(who, BASE, NEW).status_code in (401, 403)
        assert post(who, f"{BASE}{campaign.pk}/send/").status_code in (401, 403)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert Campaign.objects.count() == 1


def test_staff_without_two_factor_login_are_stopped(client: Client) -> None:
    therapist = therapist_create(email="new.staff@example.com", totp=False)
    client.force_login(therapist)
    response = post(client, BASE, NEW)
    assert response.status_code == 403
    assert error_of(response)["code"] == "two_factor_required"
    assert not Campaign.objects.exists()


def test_every_endpoint_is_in_the_openapi_schema(client: Client) -> None:
    schema = client.get("/api/schema/").json()
    validate(schema)
    paths = set(schema["paths"])
    expected = {f"{BASE}", f"{BASE}{{id}}/"} | {
        f"{BASE}{{id}}/{action}/" for action in ("send", "pause", "resume", "cancel", "test")
    }
    assert expected <= paths, sorted(paths)
    campaign = schema["components"]["schemas"]["Campaign"]["properties"]
    assert {"status", "sent", "failed", "remaining"} <= set(campaign)
