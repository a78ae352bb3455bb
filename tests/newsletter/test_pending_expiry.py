"""An unconfirmed sign-up does not stay on file: 30 days after her last confirmation email
(the link lasts 7), a Job row deletes it, with her consent records and emails to her."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from newsletter import conf, services
from newsletter.models import ConsentRecord, Subscriber
from practice.outbox.models import OutboxMessage
from practice.scheduling.services import jobs_run_due
from tests.newsletter.helpers import emails_to, link_in, signup
from tests.newsletter.test_bounces import SECRET, auth, post, soft

pytestmark = pytest.mark.django_db

ADDRESS = "ada@example.com"


def test_an_unconfirmed_sign_up_is_deleted_once_its_time_is_up() -> None:
    signup(email=ADDRESS)
    assert Subscriber.objects.filter(email=ADDRESS, status="pending").exists()

    with time_machine.travel(timezone.now() + conf.PENDING_KEPT - timedelta(hours=1)):
        jobs_run_due()
        assert Subscriber.objects.filter(email=ADDRESS).exists()
    with time_machine.travel(timezone.now() + conf.PENDING_KEPT + timedelta(minutes=1)):
        jobs_run_due()

    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    assert not ConsentRecord.objects.exists()
    assert not OutboxMessage.objects.filter(to=ADDRESS).exists()


def test_a_new_confirmation_email_gives_her_the_full_time_again() -> None:
    signup(email=ADDRESS)
    later = timezone.now() + timedelta(days=20)
    with time_machine.travel(later):
        services.guide_link_request(email=ADDRESS)  # her confirmation link again

    with time_machine.travel(timezone.now() + conf.PENDING_KEPT + timedelta(minutes=1)):
        jobs_run_due()
        assert Subscriber.objects.filter(email=ADDRESS, status="pending").exists()
    with time_machine.travel(later + conf.PENDING_KEPT + timedelta(minutes=1)):
        jobs_run_due()
        assert not Subscriber.objects.filter(email=ADDRESS).exists()


def test_a_confirmed_subscriber_is_never_expired(client: Client) -> None:
    signup(email=ADDRESS)
    client.get(link_in(emails_to(ADDRESS)[0], "newsletter:confirm"), follow=True)
    assert Subscriber.objects.get(email=ADDRESS).status == "active"

    with time_machine.travel(timezone.now() + conf.PENDING_KEPT + timedelta(days=1)):
        jobs_run_due()

    assert Subscriber.objects.get(email=ADDRESS).status == "active"


def test_a_sign_up_soft_bounces_hold_is_deleted_once_its_time_is_up(settings) -> None:
    """Soft bounces of her confirmation emails hold her ``bounced``; she is still unconfirmed,
    so her time runs out as it would have (a later delivery could otherwise give back a
    pending sign-up that nothing deletes any more)."""
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    signup(email=ADDRESS)
    for event_id, hours in ((1, 0), (2, 36), (3, 72)):
        assert post(soft(event_id, hours), **auth()).status_code == 200
    held = Subscriber.objects.get(email=ADDRESS)
    assert (held.status, held.status_without_soft_bounces) == ("bounced", "pending")

    with time_machine.travel(timezone.now() + conf.PENDING_KEPT + timedelta(minutes=1)):
        jobs_run_due()

    assert not Subscriber.objects.filter(email=ADDRESS).exists()
    assert not ConsentRecord.objects.exists()
