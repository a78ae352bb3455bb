"""What the outbox promises when a worker dies: at least once, always with the same Message-ID.

An attempt first writes "sending since" on the row and commits, then talks to the mail
server without holding the row lock, then marks the row sent. While that lease holds, no
other task sends the message; a worker killed in the middle leaves the lease behind, and
the sweep sends the message again once the lease has run out.
"""

import logging
import os
import signal
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from practice.outbox.models import OutboxMessage
from practice.outbox.services import outbox_sweep
from practice.outbox.tasks import deliver
from tests.fixtures.services import (
    SmtpServer,
    running_beat,
    running_worker,
    wait_until,
    worker_process,
)
from tests.outbox.helpers import queue_note


@pytest.mark.usefixtures("celery_worker")
def test_while_one_task_is_sending_another_task_sends_nothing(
    smtp_server: SmtpServer, settings: Any
) -> None:
    settings.EMAIL_TIMEOUT = 60
    settings.OUTBOX_SWEEP_AFTER = 0

    with smtp_server.holding_replies():
        message = queue_note("slow-server")
        smtp_server.wait_for(1)  # the worker is in the middle of the conversation

        in_flight = OutboxMessage.objects.get(pk=message.pk)
        assert in_flight.status == "queued"
        assert in_flight.sending_since is not None
        with transaction.atomic():
            # Nobody waits on a row lock while the mail server talks.
            OutboxMessage.objects.select_for_update(nowait=True).get(pk=message.pk)
        deliver.apply(args=(message.pk,))
        assert outbox_sweep() == 0

    sent = wait_until(
        lambda: OutboxMessage.objects.filter(pk=message.pk, status="sent").first(),
        what="the email to be marked sent",
    )
    assert sent.attempts == 1
    assert sent.sending_since is None
    assert len(smtp_server.messages) == 1


class Recorded(logging.Handler):
    """Keeps the records of one logger (pytest's caplog misses the embedded worker's thread
    after some other tests)."""

    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_once_the_server_has_the_email_leads_to_one_more_copy_with_its_id(
    smtp_server: SmtpServer, settings: Any
) -> None:
    """The worker dies after the mail server took the message, before it was marked sent.

    To the row this is the same whether the server had sent its "accepted" reply or not: the
    attempt is left "sending". The sweep retries it with the same Message-ID once the lease
    runs out, so a mailbox that sees both copies shows one message.
    """
    settings.OUTBOX_LEASE_SECONDS = 1
    settings.OUTBOX_SWEEP_AFTER = 0

    with smtp_server.holding_replies(), worker_process(smtp_server) as worker:
        message = queue_note("cut-off")
        smtp_server.wait_for(1, timeout=90)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(30)

    cut_off = OutboxMessage.objects.get(pk=message.pk)
    assert cut_off.status == "queued"
    assert cut_off.sending_since is not None
    assert cut_off.attempts == 1

    handler = Recorded(logging.WARNING)
    delivery_log = logging.getLogger("practice.outbox.delivery")
    delivery_log.addHandler(handler)
    with running_worker(), running_beat():
        first, second = smtp_server.wait_for(2)
        sent = wait_until(
            lambda: OutboxMessage.objects.filter(pk=message.pk, status="sent").first(),
            what="the email to be marked sent",
        )

    assert first["Message-ID"] == second["Message-ID"] == message.message_id_header
    assert sent.attempts == 2
    delivery_log.removeHandler(handler)
    assert any("was cut off" in record.getMessage() for record in handler.records)
    assert outbox_sweep() == 0
    assert len(smtp_server.messages) == 2


@pytest.mark.django_db
def test_the_sweep_leaves_an_attempt_alone_while_its_lease_holds(settings: Any) -> None:
    settings.OUTBOX_LEASE_SECONDS = 300
    settings.OUTBOX_SWEEP_AFTER = 0
    message = queue_note("in-flight")
    started = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(sending_since=started)

    with time_machine.travel(started + timedelta(seconds=299), tick=False):
        assert outbox_sweep() == 0
    with time_machine.travel(started + timedelta(seconds=301), tick=False):
        assert outbox_sweep() == 1
