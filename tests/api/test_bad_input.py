"""Whatever a client sends, the API answers in its own error shape, never with a 500."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from practice.accounts.models import User
from tests.api.test_api import error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def member() -> User:
    return User.objects.create_user("reader@example.com", "a-long-password", full_name="Ann Reader")


@pytest.fixture
def token_client(member: User) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=member).key}")
    return client


def test_asking_the_docs_page_which_methods_it_takes_is_answered() -> None:
    response = Client(raise_request_exception=False).options("/api/docs/")

    assert response.status_code == 200
    assert {"GET", "HEAD", "OPTIONS"} <= {m.strip() for m in response["Allow"].split(",")}
    assert response.content == b""


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000,
        '{"name": ' * 100_000,
        "[" * 100_000 + "]" * 100_000,
    ],
    ids=["open-arrays", "open-objects", "closed-arrays"],
)
def test_deeply_nested_json_is_a_parse_error(token_client: APIClient, member: User, body) -> None:
    response = token_client.generic("PATCH", "/api/v1/me/", body, content_type="application/json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"
    member.refresh_from_db()
    assert member.full_name == "Ann Reader"


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json; charset=rot13",
        "application/json; charset=base64",
        "application/json; charset=no-such-charset",
        "application/json; charset=utf-16",
        "application/x-www-form-urlencoded; charset=utf-16",
        "multipart/form-data; boundary=xyz; charset=rot13",
    ],
)
def test_a_body_in_another_charset_than_utf8_is_refused(
    token_client: APIClient, member: User, content_type: str
) -> None:
    response = token_client.generic(
        "PATCH", "/api/v1/me/", '{"name": "Ann B. Reader"}', content_type=content_type
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"
    member.refresh_from_db()
    assert member.full_name == "Ann Reader"


def test_a_utf8_body_that_says_so_is_read(token_client: APIClient, member: User) -> None:
    response = token_client.generic(
        "PATCH",
        "/api/v1/me/",
        '{"name": "Renée Ökland"}',
        content_type="application/json; charset=UTF-8",
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Renée Ökland"
