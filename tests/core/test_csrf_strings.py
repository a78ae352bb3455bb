"""CSRF secrets and masks come from one draw of the random source
(``practice.core.csrf_strings``), and Django still accepts and refuses tokens as before."""

import secrets
from collections import Counter
from unittest import mock

import pytest
from django.middleware import csrf
from django.test import Client
from django.urls import reverse

from practice.core.csrf_strings import csrf_string

pytestmark = pytest.mark.django_db


def test_a_token_costs_one_draw_of_the_random_source_not_one_per_character() -> None:
    secret = csrf_string()
    with (
        mock.patch("secrets.token_bytes", wraps=secrets.token_bytes) as draws,
        mock.patch("secrets.choice", wraps=secrets.choice) as per_character,
    ):
        token = csrf._mask_cipher_secret(secret)  # type: ignore[attr-defined]

    assert (draws.call_count, per_character.call_count) == (1, 0)
    assert csrf._unmask_cipher_token(token) == secret  # type: ignore[attr-defined]


def test_the_strings_are_django_s_shape_and_spread_over_every_character() -> None:
    strings = [csrf_string() for _ in range(2000)]
    counts = Counter("".join(strings))

    assert all(len(s) == csrf.CSRF_SECRET_LENGTH for s in strings)
    assert set(counts) == set(csrf.CSRF_ALLOWED_CHARS)
    expected = 2000 * csrf.CSRF_SECRET_LENGTH / len(csrf.CSRF_ALLOWED_CHARS)
    assert all(abs(n - expected) < expected * 0.25 for n in counts.values())
    assert len(set(strings)) == len(strings)


def test_a_form_posts_with_its_token_and_is_refused_with_anothers() -> None:
    browser, stranger = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page = browser.get(reverse("account_login"))
    other = stranger.get(reverse("account_login"))
    token = page.context["csrf_token"]
    foreign = other.context["csrf_token"]
    data = {"login": "nobody@example.com", "password": "wrong-password-123"}

    accepted = browser.post(reverse("account_login"), {**data, "csrfmiddlewaretoken": token})
    refused = browser.post(reverse("account_login"), {**data, "csrfmiddlewaretoken": foreign})

    assert accepted.status_code == 200  # the form again, with its error
    assert refused.status_code == 403
