"""A broker outage after the commit never fails the caller: the email is saved, the error is
logged by name, and the sweep delivers it later (``_enqueue`` is robust)."""

from typing import Any

import pytest
from kombu.exceptions import OperationalError

from practice.outbox.models import OutboxMessage
from practice.outbox.services import emails_queue_rendered
from practice.outbox.tasks import deliver, deliver_batch
from practice.outbox.types import RenderedEmail
from tests.outbox.helpers import queue_note

pytestmark = pytest.mark.django_db(transaction=True)


def _broker_down(*args: Any, **kwargs: Any) -> None:
    raise OperationalError("[Errno 111] Connection refused")


def test_an_email_queued_while_the_broker_is_down_is_kept_and_the_error_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(deliver, "delay", _broker_down)

    message = queue_note("broker-down")

    assert OutboxMessage.objects.get(pk=message.pk).status == "queued"
    [record] = [r for r in caplog.records if "on_commit()" in r.getMessage()]
    assert "Connection refused" in record.getMessage()


def test_a_batch_queued_while_the_broker_is_down_is_kept_and_the_error_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(deliver_batch, "delay", _broker_down)
    emails = [
        RenderedEmail(
            to=f"p{i}@example.com", subject="Hi", text="Hi", html="", idempotency_key=f"b{i}"
        )
        for i in range(2)
    ]

    messages = emails_queue_rendered(emails=emails)

    assert OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).count() == 2
    [record] = [r for r in caplog.records if "on_commit()" in r.getMessage()]
    assert "Connection refused" in record.getMessage()


def test_a_campaign_sent_while_the_broker_is_down_starts_and_the_error_is_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from newsletter.campaign_tasks import campaign_batch
    from newsletter.campaigns import campaign_send
    from tests.newsletter.campaign_helpers import campaign_make, subscribers_make

    subscribers_make(2)
    monkeypatch.setattr(campaign_batch, "delay", _broker_down)

    campaign = campaign_send(campaign=campaign_make())

    assert campaign.status == "sending"
    [record] = [r for r in caplog.records if "on_commit()" in r.getMessage()]
    assert "Connection refused" in record.getMessage()
