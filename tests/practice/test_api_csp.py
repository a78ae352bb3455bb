"""The Content-Security-Policy header (practice.core.csp): built once per process for answers
that use no nonce, such as every API answer, and exactly what django-csp builds."""

import re

import pytest
from csp.constants import NONE, SELF
from csp.utils import build_policy
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_an_api_answer_carries_the_full_policy_without_a_nonce() -> None:
    first = APIClient().get("/api/v1/practice/")
    again = APIClient().get("/api/v1/practice/")

    assert first["Content-Security-Policy"] == again["Content-Security-Policy"] == build_policy()
    policy = first["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy
    assert "nonce-" not in policy


@pytest.mark.urls("tests.core.page_cache_urls")
def test_a_page_that_uses_a_nonce_gets_its_own_in_the_header() -> None:
    nonces = set()
    for _ in range(2):
        response = Client().get("/nonce/")
        found = re.search(r"<p>(.+)</p>", response.content.decode())
        assert found is not None
        nonce = found.group(1)
        policy = response["Content-Security-Policy"]
        assert f"'nonce-{nonce}'" in policy, (nonce, policy)
        nonces.add(nonce)
    assert len(nonces) == 2


def test_a_change_of_the_policy_setting_shows_at_once(settings) -> None:
    before = APIClient().get("/api/v1/practice/")["Content-Security-Policy"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": [NONE], "frame-ancestors": [NONE], "img-src": [SELF]}
    }

    after = APIClient().get("/api/v1/practice/")["Content-Security-Policy"]

    assert after != before
    assert after == build_policy()
    assert "default-src 'none'" in after
