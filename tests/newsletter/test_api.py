"""POST /api/v1/newsletter/subscriptions/: the form's rules over JSON."""

import pytest
from django.test import Client

from newsletter.models import Subscriber
from practice.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

URL = "/api/v1/newsletter/subscriptions/"


def post(data: dict[str, object], ip: str = "203.0.113.9"):
    return Client(enforce_csrf_checks=True).post(
        URL, data, content_type="application/json", REMOTE_ADDR=ip
    )


def test_a_subscription_is_accepted_with_one_answer_whatever_is_known() -> None:
    first = post({"email": "ada@example.com", "first_name": "Ada", "consent": True})
    assert first.status_code == 202
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consents.get().method == "api"
    Subscriber.objects.update(status=Subscriber.Status.ACTIVE)
    again = post({"email": "ada@example.com", "consent": True})
    unknown = post({"email": "new@example.com", "consent": True})
    assert first.json() == again.json() == unknown.json()
    assert Subscriber.objects.get(email="ada@example.com").status == "active"
    assert OutboxMessage.objects.filter(to="ada@example.com").count() == 2


def test_consent_is_required_and_errors_use_the_api_shape() -> None:
    response = post({"email": "ada@example.com", "consent": False})
    assert response.status_code == 400
    assert "consent" in str(response.json())
    response = post({"email": "nope", "consent": True})
    assert response.status_code == 400
    assert "email" in str(response.json())
    assert not Subscriber.objects.exists()


def test_one_place_is_limited_like_the_form() -> None:
    for n in range(10):
        assert post({"email": f"n{n}@example.com", "consent": True}).status_code == 202
    assert post({"email": "n10@example.com", "consent": True}).status_code == 429


def test_the_endpoint_is_in_the_openapi_schema() -> None:
    schema = Client().get("/api/schema/").json()
    operation = schema["paths"][URL]["post"]
    assert "202" in operation["responses"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    name = body.rsplit("/", 1)[-1]
    assert set(schema["components"]["schemas"][name]["required"]) == {"email", "consent"}
