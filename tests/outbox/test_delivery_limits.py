"""Attempts cut off by a time limit or a dying worker: retried while attempts remain, then
given up like any other failure, never looping and never keeping a private link."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from practice.outbox.delivery import ERASED_CONTENT, message_deliver
from practice.outbox.models import OutboxMessage
from practice.outbox.services import email_queue_rendered

pytestmark = pytest.mark.django_db

LINK = "https://practice.example/accounts/password/reset/key/secret-token/"


def _private_reset() -> OutboxMessage:
    return email_queue_rendered(
        to="iris@example.com",
        subject="Choose a new password",
        text=f"Open {LINK}",
        idempotency_key="reset:iris",
        private=True,
    )


def test_an_attempt_cut_off_by_the_soft_time_limit_is_retried_not_given_up(
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "tests.outbox.backends.StalledBackend"
    message = _private_reset()

    retry_in = message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert retry_in is not None
    assert (message.status, message.attempts) == (OutboxMessage.Status.QUEUED, 1)
    assert "SoftTimeLimitExceeded" in message.last_error
    assert LINK in message.text_body, "her link is kept for the next attempt"


def test_an_email_whose_every_attempt_was_cut_off_is_given_up_and_erased(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    message = _private_reset()
    long_ago = timezone.now() - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS + 60)
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=settings.OUTBOX_MAX_ATTEMPTS, sending_since=long_ago, next_attempt_at=long_ago
    )

    assert message_deliver(message_id=message.pk) is None

    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert message.text_body == ERASED_CONTENT
    assert "cut off" in message.last_error
    assert mail.outbox == [], "no eleventh copy"
