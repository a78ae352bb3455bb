"""Double opt-in sign-up: the form, the confirmation link, and what the answers reveal."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter.models import ConsentRecord, Subscriber
from tests.newsletter.helpers import UA, emails_to, guide_create, link_in, signup

pytestmark = pytest.mark.django_db


def test_a_sign_up_records_consent_and_emails_a_private_confirmation_link() -> None:
    response = signup(email="  Ada@Example.com ")
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:signup_sent")
    subscriber = Subscriber.objects.get()
    assert (subscriber.email, subscriber.first_name, subscriber.status) == (
        "ada@example.com",
        "Ada",
        Subscriber.Status.PENDING,
    )
    consent = ConsentRecord.objects.get()
    assert consent.method == "form"
    assert consent.ip_address == "203.0.113.7"
    assert consent.user_agent == UA
    assert consent.source == "article:weak-glutes"
    assert consent.wording_version == "2026-11"
    assert "unsubscribe at any time" in consent.wording
    (email,) = emails_to("ada@example.com")
    assert email.private
    assert "/guide/confirm/" in email.text_body
    assert "/guide/confirm/" in email.html_body
    assert "7 days" in email.text_body


def test_confirming_subscribes_once_and_a_second_click_shows_the_same_page() -> None:
    guide_create()
    signup()
    confirm = link_in(emails_to("ada@example.com")[0], "newsletter:confirm")
    browser = Client()
    first = browser.get(confirm, REMOTE_ADDR="198.51.100.4")
    assert first.status_code == 302
    assert first["Location"] == reverse("newsletter:subscribed")
    page = browser.get(first["Location"])
    assert "You have successfully subscribed!" in page.text
    assert "/guide/download/" in page.text  # the button downloads the guide right away
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.confirmed_ip == "198.51.100.4"
    confirmed_at = subscriber.confirmed_at
    # A mail scanner opened it first? Her own click still lands on the same page.
    again = Client().get(confirm)
    assert again["Location"] == reverse("newsletter:subscribed")
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at == confirmed_at
    welcome = [e for e in emails_to("ada@example.com") if "Welcome" in e.subject]
    assert len(welcome) == 1


def test_the_welcome_email_has_both_parts_the_list_links_the_address_and_rfc_8058_headers(
    settings,
) -> None:
    guide_create()
    signup()
    Client().get(link_in(emails_to("ada@example.com")[0], "newsletter:confirm"))
    welcome = emails_to("ada@example.com")[-1]
    assert welcome.text_body
    assert welcome.html_body
    for part in (welcome.text_body, welcome.html_body):
        assert "/guide/download/" in part
        assert "/newsletter/unsubscribe/" in part
        assert "/newsletter/preferences/" in part
        assert "120 Maple Avenue" in part  # the practice's postal address
    unsubscribe = link_in(welcome, "newsletter:unsubscribe")
    assert welcome.headers["List-Unsubscribe"] == f"<{settings.SITE_URL}{unsubscribe}>"
    assert welcome.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_re_submitting_a_confirmed_address_never_unconfirms_it() -> None:
    guide_create()
    signup()
    Client().get(link_in(emails_to("ada@example.com")[0], "newsletter:confirm"))
    signup(first_name="Someone else")
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.first_name == "Ada"
    latest = emails_to("ada@example.com")[-1]
    assert "fresh link" in latest.subject
    assert "/guide/download/" in latest.text_body


def test_an_expired_link_offers_a_new_one_that_works() -> None:
    signup()
    old = link_in(emails_to("ada@example.com")[0], "newsletter:confirm")
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        browser = Client()
        response = browser.get(old)
        assert response.status_code == 410
        assert "This link has expired" in response.text
        assert Subscriber.objects.get().status == Subscriber.Status.PENDING
        browser.get(reverse("newsletter:guide"))
        resend = browser.post(reverse("newsletter:confirm_resend"), {"token": old.split("/")[-2]})
        assert resend["Location"] == reverse("newsletter:link_sent")
        new = link_in(emails_to("ada@example.com")[-1], "newsletter:confirm")
        assert new != old
        assert Client().get(new).status_code == 302
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE


def test_a_tampered_link_confirms_nobody() -> None:
    signup()
    link = link_in(emails_to("ada@example.com")[0], "newsletter:confirm")
    token = link.split("/")[-2]
    tampered = reverse("newsletter:confirm", kwargs={"token": token[:-3] + "abc"})
    response = Client().get(tampered)
    assert response.status_code == 404
    assert "This link does not work" in response.text
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_a_link_works_only_for_the_address_it_was_sent_to() -> None:
    signup()
    link = link_in(emails_to("ada@example.com")[0], "newsletter:confirm")
    Subscriber.objects.update(email="someone.else@example.com")
    assert Client().get(link).status_code == 404
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_an_old_confirmation_link_does_not_resubscribe_her_after_she_left() -> None:
    signup()
    link = link_in(emails_to("ada@example.com")[0], "newsletter:confirm")
    Client().get(link)
    Subscriber.objects.update(status=Subscriber.Status.UNSUBSCRIBED)
    response = Client().get(link)
    assert response.status_code == 410
    assert "already used" in response.text
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


def test_a_strangers_sign_up_does_not_block_the_owner_of_the_address() -> None:
    signup(first_name="Spammy", ip="192.0.2.66")
    signup(first_name="Ada", ip="203.0.113.7")
    subscriber = Subscriber.objects.get()
    assert subscriber.first_name == "Ada"
    assert subscriber.consents.count() == 2
    Client().get(link_in(emails_to("ada@example.com")[-1], "newsletter:confirm"))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.ACTIVE


def test_the_honeypot_answers_as_usual_and_does_nothing() -> None:
    response = signup(website="http://spam.example")
    assert response["Location"] == reverse("newsletter:signup_sent")
    assert not Subscriber.objects.exists()
    assert not emails_to("ada@example.com")


def test_without_consent_or_with_a_bad_address_the_form_says_what_to_fix() -> None:
    response = Client().post(reverse("newsletter:signup"), {"email": "ada@example.com"})
    assert response.status_code == 400
    assert "Please tick the box" in response.text
    response = signup(email="not-an-address")
    assert response.status_code == 400
    assert "Enter a valid email address" in response.text
    assert not Subscriber.objects.exists()


def test_the_form_works_without_a_csrf_token_or_cookie_since_cached_pages_carry_none() -> None:
    client = Client(enforce_csrf_checks=True)
    assert signup(client).status_code == 302
    assert Subscriber.objects.exists()


def test_one_place_signing_up_too_often_is_told_to_wait() -> None:
    for n in range(10):
        assert signup(email=f"n{n}@example.com", ip="192.0.2.1").status_code == 302
    assert signup(email="n10@example.com", ip="192.0.2.1").status_code == 429
    assert signup(email="n11@example.com", ip="192.0.2.2").status_code == 302


def test_one_address_gets_at_most_three_emails_an_hour_and_the_answer_does_not_change() -> None:
    answers = [signup(ip=f"192.0.2.{n}") for n in range(5)]
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("newsletter:signup_sent"))
    }
    assert len(emails_to("ada@example.com")) == 3


def test_the_guide_page_home_page_and_footer_form_post_to_the_sign_up() -> None:
    page = Client().get(reverse("newsletter:guide"))
    assert page.status_code == 200
    assert f'action="{reverse("newsletter:signup")}"' in page.text
    assert "csrfmiddlewaretoken" not in page.text
