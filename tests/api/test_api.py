import json
import re

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from practice.accounts.models import User
from practice.core.selectors import practice_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def member() -> User:
    return User.objects.create_user("reader@example.com", "a-long-password", full_name="Ann Reader")


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message", "fields"}
    assert body["error"]["status"] == response.status_code
    return body["error"]


def test_schema_is_openapi_3_json_listing_the_v1_endpoints(api):
    response = api.get("/api/schema/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/me/", "/api/v1/practice/"} <= set(schema["paths"])
    assert {"cookieAuth", "tokenAuth"} <= set(schema["components"]["securitySchemes"])


def test_docs_page_loads_only_same_origin_scripts_allowed_by_the_csp(api):
    response = api.get("/api/docs/")
    html = response.content.decode()

    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    script_src_match = re.search(r"script-src ([^;]+)", policy)
    assert script_src_match
    script_src = script_src_match.group(1).split()
    assert "'self'" in script_src
    assert "'unsafe-inline'" not in script_src
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts
    for attributes, body in scripts:
        assert not body.strip(), "no inline script"
        assert re.search(r'src="/', attributes), "served from this site"
    assert "<style" not in html
    assert "style=" not in html
    init_script = re.search(r'<script src="(/api/docs/\?[^"]*)"', html)
    assert init_script
    script = api.get(init_script.group(1).replace("&amp;", "&"))
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_api_root_links_the_endpoints(api):
    response = api.get("/api/v1/")

    assert response.status_code == 200
    assert response.json() == {
        "me": "http://testserver/api/v1/me/",
        "practice": "http://testserver/api/v1/practice/",
    }


def test_me_refuses_an_anonymous_visitor_in_the_error_format(api):
    response = api.get("/api/v1/me/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    error = error_of(response)
    assert error["code"] == "not_authenticated"
    assert error["message"]
    assert error["fields"] == {}


def test_me_with_a_session(api, member):
    api.force_login(member)

    response = api.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json() == {
        "id": member.pk,
        "email": "reader@example.com",
        "name": "Ann Reader",
        "role": "patient",
    }


def test_token_authentication(api, member):
    token = Token.objects.create(user=member)

    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    assert response.json()["email"] == "reader@example.com"


def test_a_wrong_token_is_refused_in_the_error_format(api, member):
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a-real-token")

    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"


def test_a_staff_token_is_refused_since_tokens_skip_two_factor(api, therapist):
    token = Token.objects.create(user=therapist)

    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 401
    assert "two-factor" in error_of(response)["message"]


def test_changing_my_name(api, member):
    api.force_login(member)

    response = api.patch("/api/v1/me/", {"name": "  Ann   B. Reader "}, format="json")

    assert response.status_code == 200
    assert response.json()["name"] == "Ann B. Reader"
    member.refresh_from_db()
    assert member.full_name == "Ann B. Reader"


def test_validation_errors_name_the_fields(api, member):
    api.force_login(member)

    response = api.patch("/api/v1/me/", {"name": "x" * 151}, format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert list(error["fields"]) == ["name"]
    assert "150" in error["fields"]["name"][0]


def test_malformed_json_is_a_parse_error(api, member):
    api.force_login(member)

    response = api.generic("PATCH", "/api/v1/me/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_method_not_allowed_in_the_error_format(api, member):
    api.force_login(member)

    response = api.delete("/api/v1/me/")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


def test_unknown_api_address_is_a_json_404(api):
    response = api.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_practice_profile_is_public(api):
    response = api.get("/api/v1/practice/")

    assert response.status_code == 200
    profile = practice_profile()
    assert response.json()["name"] == profile.name
    assert response.json()["phone"] == profile.phone
    assert response.json()["time_zone"] == profile.time_zone


def test_too_many_requests_are_throttled_in_the_error_format(api, settings, monkeypatch):
    rates = {"anon": "3/minute", "user": "5/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    # DRF copies the rates onto the throttle class when it is first imported.
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    cache.clear()

    statuses = [api.get("/api/v1/practice/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = api.get("/api/v1/practice/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert error_of(response)["code"] == "throttled"
