"""One client address for every rate limit and the audit log, behind a declared proxy or not.

Behind the proxy every request arrives from the proxy's own address (REMOTE_ADDR); the
address the proxy saw is the entry ``TRUSTED_PROXY_COUNT`` places from the right of
X-Forwarded-For. Entries further left are whatever the client wrote itself.
"""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from practice.accounts.models import User
from practice.audit.models import AuditEvent
from practice.core.client_address import client_address
from tests.fixtures.accounts import PASSWORD, login_with_totp, user_create

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
#: allauth's login_failed limit per address (ACCOUNT_RATE_LIMITS: "10/m/ip,...").
FAILED_LOGINS_PER_ADDRESS = 10


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


@pytest.fixture
def api_rates(settings, monkeypatch):
    rates = {"anon": "3/minute", "user": "100/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    # DRF copies the rates onto the throttle class when it is first imported.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


def via_proxy(forwarded_for: str) -> Client:
    """A browser whose requests reach the site through the proxy, with this header."""
    return Client(REMOTE_ADDR=PROXY, headers={"x-forwarded-for": forwarded_for})


def fail_logins_until_blocked(client: Client, *, spoofed_prefixes: bool = False) -> None:
    """Wrong passwords for different accounts (so only the per-address limit counts)."""
    for attempt in range(FAILED_LOGINS_PER_ADDRESS):
        headers = {}
        if spoofed_prefixes:
            # What a client can write itself: entries to the left of the proxy's.
            headers["x-forwarded-for"] = f"192.0.2.{attempt + 1}, 203.0.113.10"
        response = client.post(
            reverse("account_login"),
            {"login": f"nobody{attempt}@example.com", "password": "wrong-password"},
            headers=headers,
        )
        assert response.status_code == 200
        assert "paused signing in" not in response.content.decode()


def login_is_blocked(client: Client, user: User) -> bool:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    if response.status_code == 302:
        return False
    assert "paused signing in" in response.content.decode()
    return True


def test_behind_the_proxy_one_visitor_using_up_the_login_limit_does_not_lock_out_another(
    behind_proxy,
) -> None:
    user = user_create(email="margaret@example.com")
    attacker = via_proxy("203.0.113.10")
    neighbour = via_proxy("198.51.100.20")

    fail_logins_until_blocked(attacker, spoofed_prefixes=True)

    assert login_is_blocked(attacker, user)
    assert login_is_blocked(via_proxy("192.0.2.99, 203.0.113.10"), user), (
        "writing her own entries left of the proxy's does not give her a new allowance"
    )
    assert not login_is_blocked(neighbour, user)


def test_behind_the_proxy_a_visitor_cannot_escape_the_api_limit_by_writing_the_header(
    behind_proxy, api_rates
) -> None:
    statuses = [
        via_proxy(f"192.0.2.{n}, 203.0.113.10").get("/api/v1/practice/").status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 200, 429]
    assert via_proxy("198.51.100.20").get("/api/v1/practice/").status_code == 200


def test_behind_the_proxy_the_audit_log_records_the_address_the_proxy_saw(
    behind_proxy, therapist: User, patient: User
) -> None:
    client = via_proxy("192.0.2.66, 198.51.100.23")
    login_with_totp(client, therapist)

    client.get(reverse("accounts:patient_detail", kwargs={"patient_id": patient.pk}))

    assert AuditEvent.objects.get(patient=patient, action="view").ip == "198.51.100.23"


def test_with_two_trusted_proxies_the_second_entry_from_the_right_is_the_client(
    behind_proxy, api_rates
) -> None:
    behind_proxy.TRUSTED_PROXY_COUNT = 2
    statuses = [
        via_proxy(f"192.0.2.{n}, 203.0.113.10, 10.0.0.1").get("/api/v1/practice/").status_code
        for n in range(4)
    ]

    assert statuses == [200, 200, 200, 429]
    assert via_proxy("203.0.113.11, 10.0.0.1").get("/api/v1/practice/").status_code == 200


def test_without_a_declared_proxy_the_header_is_ignored_everywhere(
    settings, api_rates, therapist: User, patient: User
) -> None:
    assert settings.BEHIND_TLS_PROXY is False
    user = user_create(email="margaret@example.com")

    fail_logins_until_blocked(Client(headers={"x-forwarded-for": "203.0.113.10"}))
    assert login_is_blocked(Client(headers={"x-forwarded-for": "198.51.100.20"}), user)

    api_statuses = [
        Client(headers={"x-forwarded-for": f"192.0.2.{n}"}).get("/api/v1/practice/").status_code
        for n in range(4)
    ]
    assert api_statuses == [200, 200, 200, 429]

    client = Client(REMOTE_ADDR="203.0.113.50", headers={"x-forwarded-for": "198.51.100.23"})
    login_with_totp(client, therapist)
    client.get(reverse("accounts:patient_detail", kwargs={"patient_id": patient.pk}))
    assert AuditEvent.objects.get(patient=patient, action="view").ip == "203.0.113.50"


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("203.0.113.10", "203.0.113.10"),
        ("192.0.2.1, 203.0.113.10", "203.0.113.10"),
        ("192.0.2.1,203.0.113.10", "203.0.113.10"),
        ("203.0.113.10:51234", "203.0.113.10"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("2001:DB8::7", "2001:db8::7"),
        # Malformed, empty or missing: the proxy's own address, never a client-written entry.
        ("192.0.2.1, not-an-address", PROXY),
        ("203.0.113.10, ", PROXY),
        ("", PROXY),
        (None, PROXY),
    ],
)
def test_the_address_behind_one_proxy(behind_proxy, forwarded_for, expected) -> None:
    headers = {} if forwarded_for is None else {"x-forwarded-for": forwarded_for}
    request = RequestFactory(REMOTE_ADDR=PROXY).get("/", headers=headers)

    assert client_address(request) == expected


@pytest.mark.parametrize(
    ("forwarded_for", "expected"),
    [
        ("192.0.2.1, 203.0.113.10, 10.0.0.1", "203.0.113.10"),
        # Too short: the outer proxy did not add its entry, so "203.0.113.10" may be the
        # client's own writing. Fall back to the proxy's address.
        ("203.0.113.10", PROXY),
        ("192.0.2.1, bogus, 10.0.0.1", PROXY),
    ],
)
def test_the_address_behind_two_proxies(behind_proxy, forwarded_for, expected) -> None:
    behind_proxy.TRUSTED_PROXY_COUNT = 2
    request = RequestFactory(REMOTE_ADDR=PROXY).get("/", headers={"x-forwarded-for": forwarded_for})

    assert client_address(request) == expected


def test_without_a_declared_proxy_the_address_is_the_connections(settings) -> None:
    settings.BEHIND_TLS_PROXY = False
    request = RequestFactory(REMOTE_ADDR=PROXY).get("/", headers={"x-forwarded-for": "192.0.2.1"})

    assert client_address(request) == PROXY


def test_a_connection_without_a_usable_address_has_none(behind_proxy) -> None:
    request = RequestFactory(REMOTE_ADDR="").get("/", headers={"x-forwarded-for": "bogus"})

    assert client_address(request) is None
