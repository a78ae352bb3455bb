"""Every route of the newsletter, listed from its URLconfs, has a row in this table, and
each row's promise is checked: staff-only routes refuse visitors (login / 401 / 403) and
patients (403); bad input is a field error, never a 500; a tampered, expired or garbled
token gets the friendly page with a 4xx, never a 500. A new route without a row fails
``test_every_route_has_a_row``."""

import base64
import json
from datetime import timedelta
from enum import Enum
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from newsletter import apis, urls
from newsletter.models import Campaign, Subscriber
from newsletter.tokens import Purpose, token_make
from tests.newsletter.campaign_helpers import campaign_make

pytestmark = pytest.mark.django_db


class Kind(Enum):
    STAFF_PAGE = "staff page (GET)"
    STAFF_ACTION = "staff action (POST)"
    STAFF_API = "staff API"
    PUBLIC_PAGE = "public page"
    PUBLIC_FORM = "public form (POST, CSRF-exempt, rate-limited)"
    PUBLIC_API = "public API"
    TOKEN = "signed-token link"
    WEBHOOK = "provider webhook"


ROUTES: dict[str, Kind] = {
    # newsletter/urls.py
    "newsletter:guide": Kind.PUBLIC_PAGE,
    "newsletter:signup": Kind.PUBLIC_FORM,
    "newsletter:signup_sent": Kind.PUBLIC_PAGE,
    "newsletter:confirm_resend": Kind.PUBLIC_FORM,
    "newsletter:confirm": Kind.TOKEN,
    "newsletter:subscribed": Kind.PUBLIC_PAGE,
    "newsletter:download_resend": Kind.PUBLIC_FORM,
    "newsletter:download": Kind.TOKEN,
    "newsletter:link_request": Kind.PUBLIC_FORM,
    "newsletter:link_sent": Kind.PUBLIC_PAGE,
    "newsletter:unsubscribe": Kind.TOKEN,
    "newsletter:preferences": Kind.PUBLIC_PAGE,
    "newsletter:preferences_open": Kind.TOKEN,
    "newsletter:provider_webhook": Kind.WEBHOOK,
    # newsletter/campaign_urls.py
    "newsletter:archive": Kind.PUBLIC_PAGE,
    "newsletter:archive_detail": Kind.PUBLIC_PAGE,
    "newsletter:campaigns": Kind.STAFF_PAGE,
    "newsletter:campaign_new": Kind.STAFF_PAGE,
    "newsletter:campaign_detail": Kind.STAFF_PAGE,
    "newsletter:campaign_edit": Kind.STAFF_PAGE,
    "newsletter:campaign_preview": Kind.STAFF_PAGE,
    "newsletter:campaign_send": Kind.STAFF_ACTION,
    "newsletter:campaign_schedule": Kind.STAFF_ACTION,
    "newsletter:campaign_unschedule": Kind.STAFF_ACTION,
    "newsletter:campaign_pause": Kind.STAFF_ACTION,
    "newsletter:campaign_resume": Kind.STAFF_ACTION,
    "newsletter:campaign_cancel": Kind.STAFF_ACTION,
    "newsletter:campaign_test": Kind.STAFF_ACTION,
    "newsletter:campaign_duplicate": Kind.STAFF_ACTION,
    # newsletter/apis.py and campaign_apis.py (under /api/v1/)
    "newsletter-subscription-create": Kind.PUBLIC_API,
    "newsletter-campaigns": Kind.STAFF_API,
    "newsletter-campaign": Kind.STAFF_API,
    "newsletter-campaign-send": Kind.STAFF_API,
    "newsletter-campaign-pause": Kind.STAFF_API,
    "newsletter-campaign-resume": Kind.STAFF_API,
    "newsletter-campaign-cancel": Kind.STAFF_API,
    "newsletter-campaign-test": Kind.STAFF_API,
}

BEYOND_64_BITS = "99999999999999999999"
TEN_KB = "x" * 10_000


def route_names(patterns: list[Any], namespace: str = "") -> set[str]:
    """Every named route below ``patterns`` (includes followed), with its namespace."""
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def of_kind(*kinds: Kind) -> list[str]:
    return sorted(name for name, kind in ROUTES.items() if kind in kinds)


#: The routes that take no campaign id.
WITHOUT_ID = {"newsletter:campaigns", "newsletter:campaign_new", "newsletter-campaigns"}


def url_of(name: str, pk: int | str = 1) -> str:
    """The route's URL (API routes are in the ``api`` namespace), with ``pk`` where it takes
    a campaign id (written into the path, so ids the converter refuses can be tried)."""
    full = name if name.startswith("newsletter:") else f"api:{name}"
    takes_id = ROUTES[name] in (Kind.STAFF_PAGE, Kind.STAFF_ACTION, Kind.STAFF_API) or (
        name == "newsletter:archive_detail"
    )
    if not takes_id or name in WITHOUT_ID:
        return reverse(full)
    return reverse(full, kwargs={"pk": 1}).replace("/1/", f"/{pk}/", 1)


def jpost(client: Client, url: str, data: Any) -> Any:
    return client.post(url, json.dumps(data), content_type="application/json")


@pytest.fixture(autouse=True)
def _no_rate(settings: Any) -> None:
    settings.NEWSLETTER_RATE_PER_MINUTE = 0


@pytest.fixture
def campaign(db: None) -> Campaign:
    return campaign_make()


def test_every_route_has_a_row() -> None:
    listed = route_names(urls.urlpatterns, "newsletter:") | route_names(apis.urlpatterns)
    assert listed == set(ROUTES), (
        f"routes without a row: {sorted(listed - set(ROUTES))}; "
        f"rows without a route: {sorted(set(ROUTES) - listed)}"
    )


# --- staff only --------------------------------------------------------------------------


@pytest.mark.parametrize("name", of_kind(Kind.STAFF_PAGE, Kind.STAFF_ACTION))
def test_staff_pages_send_visitors_to_sign_in_and_refuse_patients(
    name: str, campaign: Campaign, client: Client, patient_client: Client
) -> None:
    url = url_of(name, campaign.pk)
    send = client.post if ROUTES[name] is Kind.STAFF_ACTION else client.get
    visitor = send(url)
    assert visitor.status_code == 302
    assert visitor["Location"].startswith(reverse("account_login"))
    send = patient_client.post if ROUTES[name] is Kind.STAFF_ACTION else patient_client.get
    assert send(url).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("name", of_kind(Kind.STAFF_API))
def test_the_staff_api_refuses_visitors_and_patients(
    name: str, campaign: Campaign, client: Client, patient_client: Client
) -> None:
    url = url_of(name, campaign.pk)
    for who in (client, patient_client):
        assert who.get(url).status_code in (401, 403, 405)
        assert jpost(who, url, {"subject": "x", "body": "y", "audience": "all"}).status_code in (
            401,
            403,
        )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize(
    "name",
    [n for n in of_kind(Kind.STAFF_PAGE, Kind.STAFF_ACTION, Kind.STAFF_API) if n not in WITHOUT_ID],
)
@pytest.mark.parametrize("pk", ["999999", BEYOND_64_BITS])
def test_an_unknown_or_impossible_campaign_id_is_not_found(
    name: str, pk: str, therapist_client: Client
) -> None:
    url = url_of(name, pk)
    method = "get" if ROUTES[name] is Kind.STAFF_PAGE or name == "newsletter-campaign" else "post"
    assert getattr(therapist_client, method)(url).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"subject": TEN_KB, "body": TEN_KB * 100, "audience": "all"},
        {"subject": "Winter", "body": "Walk.", "audience": "segments", "segments": ["nope"]},
        {"subject": "Winter", "body": "Walk.", "audience": "\u0661\u0662"},
    ],
)
def test_the_campaign_form_names_the_mistake_and_keeps_the_text(
    data: dict[str, Any], campaign: Campaign, therapist_client: Client
) -> None:
    for url in (url_of("newsletter:campaign_new"), url_of("newsletter:campaign_edit", campaign.pk)):
        response = therapist_client.post(url, data)
        assert response.status_code in (200, 400), url
        assert 'class="errorlist' in response.text, url
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize(
    "send_at", ["", "tomorrow", "2026-13-45T10:00", "2026-02-30T10:00", TEN_KB]
)
def test_a_bad_schedule_time_is_a_field_error(
    send_at: str, campaign: Campaign, therapist_client: Client
) -> None:
    response = therapist_client.post(
        url_of("newsletter:campaign_schedule", campaign.pk), {"send_at": send_at}
    )
    assert response.status_code == 400
    assert "send_at" in response.text
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"subject": 5, "body": ["walk"], "audience": {"all": True}},
        {"subject": TEN_KB, "body": "Walk.", "audience": "all"},
        {"subject": "Winter", "body": "Walk.", "audience": ["\u0000"]},
        [1, 2, 3],
    ],
)
def test_the_campaign_api_answers_bad_input_with_field_errors(
    data: Any, therapist_client: Client
) -> None:
    response = jpost(therapist_client, url_of("newsletter-campaigns"), data)
    assert response.status_code == 400, response.content
    assert set(response.json()["error"]) == {"status", "code", "message", "fields"}
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("scheduled_at", ["garbage", "2026-02-30T10:00:00Z", 12, ["x"], TEN_KB])
def test_a_bad_send_time_in_the_api_is_a_field_error(
    scheduled_at: Any, campaign: Campaign, therapist_client: Client
) -> None:
    url = url_of("newsletter-campaign-send", campaign.pk)
    response = jpost(therapist_client, url, {"scheduled_at": scheduled_at})
    assert response.status_code == 400, response.content
    assert "scheduled_at" in response.json()["error"]["fields"]
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT


def test_api_routes_given_a_body_that_is_not_json_never_answer_500(
    campaign: Campaign, therapist_client: Client
) -> None:
    for name in of_kind(Kind.STAFF_API):
        url = url_of(name, campaign.pk)
        response = therapist_client.post(url, "{not json", content_type="application/json")
        expected = {
            "newsletter-campaign": 405,  # read-only: no POST at all
            "newsletter-campaigns": 400,
            "newsletter-campaign-send": 400,  # the only action that reads its body
            "newsletter-campaign-test": 202,  # takes no body: the test goes out
        }
        assert response.status_code == expected.get(name, 409), name  # others: a draft


# --- public forms and API -----------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": "not-an-address", "consent": "on"},
        {"email": f"{TEN_KB}@example.com", "consent": "on"},
        {"email": "ada@example.com"},  # no consent
        {"email": "ada@example.com", "consent": "on", "first_name": TEN_KB},
        {"email": "ada@example.com", "consent": "on", "source": TEN_KB, "consent_version": "?"},
    ],
)
def test_the_sign_up_form_names_the_mistake_and_queues_nothing(data: dict[str, str]) -> None:
    response = Client().post(url_of("newsletter:signup"), data)
    assert response.status_code == 400
    assert "Please check the form" in response.text
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("name", ["newsletter:confirm_resend", "newsletter:download_resend"])
@pytest.mark.parametrize("token", ["", "garbage", TEN_KB, "\u0661:\u0662"])
def test_resend_buttons_with_a_bad_token_answer_as_ever(name: str, token: str) -> None:
    response = Client().post(url_of(name), {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:link_sent")


@pytest.mark.parametrize("email", ["", "not-an-address", f"{TEN_KB}@example.com"])
def test_the_fresh_link_form_names_the_mistake(email: str) -> None:
    response = Client().post(url_of("newsletter:link_request"), {"email": email})
    assert response.status_code == 400
    assert "error" in response.text.lower()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": 5, "consent": "yes"},
        {"email": "not-an-address", "consent": True},
        {"email": "ada@example.com", "consent": False},
        {"email": "ada@example.com", "consent": True, "first_name": TEN_KB},
        ["ada@example.com"],
    ],
)
def test_the_subscription_api_answers_bad_input_with_field_errors(data: Any) -> None:
    response = jpost(Client(), url_of("newsletter-subscription-create"), data)
    assert response.status_code == 400, response.content
    assert set(response.json()["error"]) == {"status", "code", "message", "fields"}
    assert not Subscriber.objects.exists()


@pytest.mark.parametrize("name", of_kind(Kind.PUBLIC_PAGE))
def test_public_pages_answer_without_a_session(name: str, campaign: Campaign) -> None:
    url = url_of(name, campaign.pk)
    response = Client().get(url)
    # the archive holds only sent campaigns, the preferences page needs her link first
    assert response.status_code in (200, 403, 404)
    assert "<main" in response.text


# --- signed-token links ---------------------------------------------------------------------


@pytest.fixture
def ada(db: None) -> Subscriber:
    return Subscriber.objects.create(email="ada@example.com", status=Subscriber.Status.ACTIVE)


PURPOSE: dict[str, Purpose] = {
    "newsletter:confirm": "confirm",
    "newsletter:download": "download",
    "newsletter:unsubscribe": "unsubscribe",
    "newsletter:preferences_open": "preferences",
}


def token_url(name: str, token: str) -> str:
    return reverse(name, kwargs={"token": "T"}).replace("/T/", f"/{token}/")


def bad_tokens(name: str, subscriber: Subscriber) -> list[str]:
    genuine = token_make(purpose=PURPOSE[name], subscriber_id=subscriber.pk, address="a@x.org")
    good = token_make(purpose=PURPOSE[name], subscriber_id=subscriber.pk, address=subscriber.email)
    other_purpose: Purpose = "download" if PURPOSE[name] != "download" else "confirm"
    return [
        good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),  # tampered signature
        good.replace(":", ":x", 1),  # tampered payload
        genuine,  # genuine, for an address she no longer has
        token_make(purpose=other_purpose, subscriber_id=subscriber.pk, address=subscriber.email),
        "garbage",
        "%C3%A9%00",
        TEN_KB,
    ]


@pytest.mark.parametrize("name", of_kind(Kind.TOKEN))
def test_a_tampered_or_foreign_token_gets_the_friendly_page(name: str, ada: Subscriber) -> None:
    assert set(PURPOSE) == set(of_kind(Kind.TOKEN))
    tokens = bad_tokens(name, ada)
    if name == "newsletter:unsubscribe":
        # A genuine link for an address she no longer has: the one-click answer stays
        # "unsubscribed" (RFC 8058 mail programs expect a 200) and changes nothing.
        stale = tokens.pop(2)
        assert Client().post(token_url(name, stale)).status_code == 200
    for token in tokens:
        for method in ("get", "post") if name == "newsletter:unsubscribe" else ("get",):
            response = getattr(Client(), method)(token_url(name, token))
            assert 400 <= response.status_code < 500, (token[:40], method, response.status_code)
            assert "This link does not work" in response.text
    ada.refresh_from_db()
    assert ada.status == Subscriber.Status.ACTIVE


@pytest.mark.parametrize(
    ("name", "days", "page"),
    [
        ("newsletter:confirm", 8, "email you a new one"),
        ("newsletter:download", 31, "fresh link"),
    ],
)
def test_an_expired_token_gets_the_page_that_offers_a_new_link(
    name: str, days: int, page: str
) -> None:
    pending = Subscriber.objects.create(email="ada@example.com")
    if name == "newsletter:download":
        Subscriber.objects.filter(pk=pending.pk).update(
            status=Subscriber.Status.ACTIVE, confirmed_at="2026-01-01T00:00:00Z"
        )
    with time_machine.travel(timedelta(days=-days)):
        token = token_make(purpose=PURPOSE[name], subscriber_id=pending.pk, address=pending.email)
    response = Client().get(token_url(name, token))
    assert response.status_code == 410
    assert page in response.text.lower()
    assert 'name="token"' in response.text


# --- the provider's webhook ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body", ["{not json", "[]", json.dumps({"RecordType": "Bounce"}), json.dumps([1, 2]), ""]
)
def test_the_webhook_answers_malformed_reports_without_a_500(settings: Any, body: str) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": "user:secret"}
    auth = "Basic " + base64.b64encode(b"user:secret").decode()
    url = "/newsletter/esp/postmark/tracking/"
    response = Client().post(url, body, content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert response.status_code < 500
    assert Client().post(url, body, content_type="application/json").status_code == 400
