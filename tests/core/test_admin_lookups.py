"""No admin answers URL lookups on content it hides, and bad filters are a 400, never a 500.

Django's admin takes any lookup on a model's own fields from the URL. On the outbox that made
``?text_body__startswith=...`` a yes/no oracle on a hidden invite link: a binary search read
the token back in a few hundred requests, and the token signs in as the patient.
"""

import string

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from practice.outbox.services import email_queue_rendered

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:outbox_outboxmessage_changelist")
TOKEN = "Zq3kV9tokenSecret"


def _queue_private_invite() -> None:
    link = f"https://practice.example/accounts/invite/{TOKEN}/"
    email_queue_rendered(
        to="new.patient@example.com",
        subject="Your invitation",
        text=f"Choose your password: {link}",
        html=f'<a href="{link}">Choose your password</a>',
        idempotency_key="invite:probe",
        private=True,
    )


def _extract_token(client: Client) -> str:
    """The attack: grow a prefix one character at a time while the list still shows the email."""
    known = "Choose your password: https://practice.example/accounts/invite/"
    alphabet = string.ascii_letters + string.digits + "-_"
    for _ in range(len(TOKEN)):
        for char in alphabet:
            page = client.get(CHANGELIST, {"text_body__startswith": known + char})
            if page.status_code == 200 and "new.patient@example.com" in page.text:
                known += char
                break
        else:
            break
    return known.rpartition("/")[2]


def test_hidden_content_cannot_be_read_back_through_list_filters(owner_client: Client) -> None:
    _queue_private_invite()

    assert TOKEN not in _extract_token(owner_client)
    for lookup in ("text_body__startswith", "html_body__contains", "text_body__regex"):
        assert owner_client.get(CHANGELIST, {lookup: "Choose"}).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"subject__regex": "("},
        {"status__iregex": "("},
        {"headers__List-Id__contains": "x"},
        {"headers__has_key": "a"},
        {"attempts__gt": "many"},
        {"nonexistent_field": "1"},
    ],
)
def test_bad_filters_answer_400(owner_client: Client, query: dict[str, str]) -> None:
    assert owner_client.get(CHANGELIST, query).status_code == 400


def test_the_offered_filters_still_work(owner_client: Client) -> None:
    _queue_private_invite()

    assert (
        "new.patient@example.com" in owner_client.get(CHANGELIST, {"status__exact": "queued"}).text
    )
    assert (
        "new.patient@example.com"
        not in owner_client.get(CHANGELIST, {"status__exact": "sent"}).text
    )
    assert owner_client.get(CHANGELIST, {"created_at__year": "2026"}).status_code == 200
    assert owner_client.get(CHANGELIST, {"q": "new.patient"}).status_code == 200


def test_every_admin_refuses_regex_lookups(owner_client: Client) -> None:
    checked = []
    for model in admin.site._registry:
        opts = model._meta
        if opts.label == "core.PracticeProfile":
            continue  # its list is a redirect to its only row: no filters at all
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        field = next(f.name for f in opts.concrete_fields if not f.is_relation)
        response = owner_client.get(url, {f"{field}__regex": "("})
        assert response.status_code == 400, f"{url}?{field}__regex= answered {response.status_code}"
        checked.append(opts.label)
    assert {
        "outbox.OutboxMessage",
        "scheduling.Job",
        "audit.AuditEvent",
        "account.EmailAddress",
    } <= set(checked)
