"""A delivery reported after soft bounces suppressed her lifts that suppression (soft bounces
are transient failures, RFC 3463 class 4); it never lifts a hard bounce, a complaint or an
unsubscribe. Everything goes through the real Postmark tracking webhook view."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from newsletter import links
from newsletter.bounces import delivery_apply
from newsletter.models import Subscriber
from newsletter.selectors import subscriber_sendable_list
from newsletter.services import subscriber_data_export
from tests.newsletter.test_bounces import (
    SECRET,
    START,
    auth,
    bounce,
    delivery,
    post,
    soft,
    status,
    subscription_change,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _webhook_secret(settings) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def subscriber(state: str = Subscriber.Status.ACTIVE) -> Subscriber:
    return Subscriber.objects.create(email="ada@example.com", status=state)


def soft_bounces_suppress(ada: Subscriber) -> None:
    """Three soft bounces over 72 hours (hours 0, 36, 72): she is suppressed on the third."""
    for event_id, hours in ((1, 0), (2, 36), (3, 72)):
        assert post(soft(event_id, hours), **auth()).status_code == 200
    assert status(ada) == Subscriber.Status.BOUNCED


def delivered(hours: float) -> None:
    assert post(delivery(START + timedelta(hours=hours)), **auth()).status_code == 200


def test_a_later_delivery_lifts_a_soft_bounce_suppression() -> None:
    ada = subscriber()
    soft_bounces_suppress(ada)
    assert not subscriber_sendable_list().exists()

    delivered(90)

    assert status(ada) == Subscriber.Status.ACTIVE
    assert list(subscriber_sendable_list()) == [ada]
    suppressing = ada.bounces.get(event_id="3")
    assert suppressing.suppressed
    assert suppressing.lifted_at is not None
    assert ada.status_without_soft_bounces == ""


def test_the_same_delivery_report_again_changes_nothing_more() -> None:
    ada = subscriber()
    soft_bounces_suppress(ada)
    delivered(90)
    lifted_at = ada.bounces.get(event_id="3").lifted_at
    delivered(90)
    assert status(ada) == Subscriber.Status.ACTIVE
    assert ada.bounces.get(event_id="3").lifted_at == lifted_at


def test_after_a_lift_soft_bounces_count_afresh() -> None:
    ada = subscriber()
    soft_bounces_suppress(ada)
    delivered(90)
    post(soft(4, 100), **auth())
    post(soft(5, 140), **auth())
    assert status(ada) == Subscriber.Status.ACTIVE  # two since the delivery
    post(soft(6, 175), **auth())
    assert status(ada) == Subscriber.Status.BOUNCED  # three since it, 75 hours apart


def test_a_delivery_from_before_the_soft_bounces_reported_late_lifts_nothing() -> None:
    ada = subscriber()
    soft_bounces_suppress(ada)
    delivered(-5)  # before the first of them
    assert status(ada) == Subscriber.Status.BOUNCED


def test_a_delivery_between_them_reported_late_lifts_it_when_they_no_longer_persist() -> None:
    """Had the provider reported it in time, the soft bounces would never have suppressed her
    (two since the delivery)."""
    ada = subscriber()
    soft_bounces_suppress(ada)
    delivered(20)
    assert status(ada) == Subscriber.Status.ACTIVE


@pytest.mark.parametrize(
    "state", [Subscriber.Status.PENDING, Subscriber.Status.UNSUBSCRIBED], ids=str
)
def test_a_lift_gives_back_the_status_she_had_not_active(state: str) -> None:
    """A pending sign-up whose confirmation emails soft-bounced is still unconfirmed; someone
    who had unsubscribed (a guide link still reaches her) is still unsubscribed."""
    ada = subscriber(state)
    soft_bounces_suppress(ada)
    delivered(90)
    assert status(ada) == state
    assert not subscriber_sendable_list().exists()


def test_a_delivery_never_lifts_a_hard_bounce() -> None:
    ada = subscriber()
    post(bounce(), **auth())
    delivered(1)
    assert status(ada) == Subscriber.Status.BOUNCED


def test_a_delivery_never_lifts_a_complaint() -> None:
    ada = subscriber()
    post(bounce("SpamComplaint", details=""), **auth())
    delivered(1)
    assert status(ada) == Subscriber.Status.COMPLAINED


def test_a_delivery_never_lifts_an_unsubscribe_at_the_provider() -> None:
    ada = subscriber()
    post(subscription_change("ManualSuppression"), **auth())
    delivered(1)
    assert status(ada) == Subscriber.Status.UNSUBSCRIBED


def test_a_hard_bounce_after_the_soft_suppression_keeps_her_bounced() -> None:
    ada = subscriber()
    soft_bounces_suppress(ada)
    post(bounce(event_id=9, at=START + timedelta(hours=80)), **auth())
    delivered(90)
    assert status(ada) == Subscriber.Status.BOUNCED
    assert ada.bounces.get(event_id="3").lifted_at is None


def test_a_complaint_after_the_soft_suppression_stays_a_complaint() -> None:
    ada = subscriber()
    soft_bounces_suppress(ada)
    post(bounce("SpamComplaint", event_id=9, at=START + timedelta(hours=80), details=""), **auth())
    delivered(90)
    assert status(ada) == Subscriber.Status.COMPLAINED


def test_an_unsubscribe_at_the_provider_while_suppressed_is_what_the_lift_gives_back() -> None:
    ada = subscriber()
    soft_bounces_suppress(ada)
    post(subscription_change("ManualSuppression", at=START + timedelta(hours=80)), **auth())
    delivered(90)
    assert status(ada) == Subscriber.Status.UNSUBSCRIBED


def test_her_own_unsubscribe_while_suppressed_is_what_the_lift_gives_back() -> None:
    ada = subscriber()
    soft_bounces_suppress(ada)
    assert subscriber_data_export(subscriber=ada)["status_a_later_delivery_gives_back"] == (
        Subscriber.Status.ACTIVE
    )
    answer = Client(enforce_csrf_checks=True).post(
        links.unsubscribe_url(ada),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 200
    assert status(ada) == Subscriber.Status.BOUNCED  # the stronger status shows meanwhile
    delivered(90)
    assert status(ada) == Subscriber.Status.UNSUBSCRIBED
    assert not subscriber_sendable_list().exists()


def test_the_therapist_sees_in_the_admin_that_a_delivery_lifted_it(owner_client: Client) -> None:
    ada = subscriber()
    soft_bounces_suppress(ada)
    delivered(90)
    page = owner_client.get(reverse("admin:newsletter_subscriber_change", args=[ada.pk]))
    assert page.status_code == 200
    assert "Lifted by a later delivery" in page.text
    export = owner_client.post(
        reverse("admin:newsletter_subscriber_changelist"),
        {"action": "export_data", "_selected_action": [ada.pk]},
    )
    assert export.json()[0]["status_a_later_delivery_gives_back"] is None
    bounces = export.json()[0]["bounces"]  # oldest first: the third suppressed her
    assert [(b["suppressed"], b["lifted_at"] is not None) for b in bounces] == [
        (False, False),
        (False, False),
        (True, True),
    ]


def test_a_delivery_to_someone_no_soft_bounce_holds_is_one_statement(
    django_assert_num_queries,
) -> None:
    """A provider reports every email delivered: the usual report costs one UPDATE."""
    ada = subscriber()
    with django_assert_num_queries(1):
        assert not delivery_apply(email="ada@example.com", delivered_at=START)
    ada.refresh_from_db()
    assert ada.soft_bounces_cleared_at == START
