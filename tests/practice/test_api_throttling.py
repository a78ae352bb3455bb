"""The API's rate limit (practice.api.throttling): per client address, per account when signed
in, DRF's 429 in the API's error shape with Retry-After, in one round trip to the cache."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from practice.accounts.models import User

pytestmark = pytest.mark.django_db

#: 10:00:15 UTC: 45 seconds before the current one-minute window ends.
NOW = datetime(2026, 11, 30, 10, 0, 15, tzinfo=UTC)
PRACTICE = "/api/v1/practice/"


@pytest.fixture(autouse=True)
def _rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "5/minute"},
    }
    cache.clear()


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def statuses(client: APIClient, count: int, path: str = PRACTICE) -> list[int]:
    return [client.get(path).status_code for _ in range(count)]


def test_a_burst_gets_429_in_the_error_shape_and_another_address_does_not() -> None:
    burst = APIClient(REMOTE_ADDR="203.0.113.10")

    assert statuses(burst, 4) == [200, 200, 200, 429]
    refused = burst.get(PRACTICE)
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "throttled"
    assert refused.json()["error"]["fields"] == {}
    assert refused["Retry-After"] == "45"  # the end of the current minute
    assert statuses(APIClient(REMOTE_ADDR="198.51.100.20"), 3) == [200, 200, 200]


def test_the_next_window_lets_the_address_in_again(clock) -> None:
    client = APIClient(REMOTE_ADDR="203.0.113.10")
    assert statuses(client, 4) == [200, 200, 200, 429]

    clock.move_to(NOW + timedelta(seconds=44))
    assert client.get(PRACTICE).status_code == 429
    clock.move_to(NOW + timedelta(seconds=45))
    assert statuses(client, 4) == [200, 200, 200, 429]


def test_a_signed_in_patient_is_counted_by_account_at_the_user_rate(patient: User) -> None:
    token = Token.objects.create(user=patient)
    client = APIClient(REMOTE_ADDR="203.0.113.10")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    assert statuses(client, 6, "/api/v1/me/") == [200, 200, 200, 200, 200, 429]
    # Her account's count is not her address's: a visitor there still has the anon rate.
    assert statuses(APIClient(REMOTE_ADDR="203.0.113.10"), 4) == [200, 200, 200, 429]


def test_every_api_view_is_limited_the_consult_slots_too() -> None:
    client = APIClient(REMOTE_ADDR="203.0.113.10")
    slots = "/api/v1/consults/slots/?date=2026-12-01&tz=America/New_York"

    assert statuses(client, 2) == [200, 200]
    assert statuses(client, 2, slots) == [200, 429]
    assert client.get("/api/v1/consults/bookings/").status_code == 429


def test_a_cache_other_than_redis_limits_the_same(settings) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = APIClient(REMOTE_ADDR="203.0.113.10")

    assert statuses(client, 4) == [200, 200, 200, 429]
    assert client.get(PRACTICE)["Retry-After"] == "45"
    assert statuses(APIClient(REMOTE_ADDR="198.51.100.20"), 1) == [200]


def test_a_scope_without_a_rate_is_not_limited(settings) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": "5/minute"},
    }
    assert statuses(APIClient(REMOTE_ADDR="203.0.113.10"), 6) == [200] * 5 + [429]


def test_an_ipv6_client_cannot_escape_the_limit_by_changing_its_interface_id() -> None:
    """One IPv6 subscriber gets a whole /64 (2^64 addresses): each request from a new address
    in it must still count against one limit; another /64 has its own."""
    network = "2001:db8:aa:bb:"
    codes = [
        APIClient(REMOTE_ADDR=f"{network}{i}:{i}:{i}:{i}").get(PRACTICE).status_code
        for i in range(1, 5)
    ]
    assert codes == [200, 200, 200, 429]
    assert APIClient(REMOTE_ADDR="2001:db8:aa:cc::1").get(PRACTICE).status_code == 200
    # An IPv4 client written as an IPv4-mapped IPv6 address is that IPv4 client.
    assert statuses(APIClient(REMOTE_ADDR="203.0.113.10"), 3) == [200, 200, 200]
    assert APIClient(REMOTE_ADDR="::ffff:203.0.113.10").get(PRACTICE).status_code == 429
