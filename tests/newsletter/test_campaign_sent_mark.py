"""The database connection lost while a campaign email's "sent" mark goes out (the batch path,
``practice.outbox.sent_marks``, which drives psycopg itself): the error is Django's, so the
batch stops where the outbox means it to (``except DatabaseError``) with the connection
flagged for Django to replace, and the sweep sends what was left, under the same Message-IDs.
"""

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.db import DatabaseError, connection, connections
from django.utils import timezone

from newsletter.campaigns import campaign_send
from newsletter.fanout import campaign_batch_run
from newsletter.models import Delivery
from practice.celery import app
from practice.outbox.delivery import messages_deliver
from practice.outbox.models import OutboxMessage
from practice.outbox.services import outbox_sweep
from tests.fixtures.services import SmtpServer, smtp_server_instead
from tests.newsletter.campaign_helpers import campaign_make, subscribers_make


def _backend_terminate(pid: int) -> None:
    """End the sender's PostgreSQL session, as a server restart or a failover would, and wait
    until it is gone (from a connection of this thread's own)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
            for _ in range(500):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                if cursor.fetchone() == (0,):
                    return
                cursor.execute("SELECT pg_sleep(0.01)")
        raise AssertionError(f"PostgreSQL session {pid} still there")
    finally:
        connections.close_all()


class ServerThatCutsTheDatabase(SmtpServer):
    """Accepts every email; while it takes the first, the sender's database session ends."""

    sender_pid: int | None = None

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.sender_pid is not None:
            pid, self.sender_pid = self.sender_pid, None
            await asyncio.to_thread(_backend_terminate, pid)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def cutting_server(smtp_server: SmtpServer, settings: Any) -> Iterator[ServerThatCutsTheDatabase]:
    with smtp_server_instead(ServerThatCutsTheDatabase(), settings) as server:
        yield server


@pytest.mark.queued_tasks  # the test runs the batch itself, then the sweep's tasks eagerly
@pytest.mark.django_db(transaction=True)  # a worker's batch: no transaction around it
def test_a_lost_connection_while_marking_a_campaign_email_sent_stops_the_batch_and_the_sweep_sends_the_rest(  # noqa: E501
    cutting_server: ServerThatCutsTheDatabase, settings: Any
) -> None:
    settings.NEWSLETTER_RATE_PER_MINUTE = 0
    subscribers_make(3)
    campaign = campaign_send(campaign=campaign_make())
    assert campaign_batch_run(campaign_id=campaign.pk) == 3
    message_ids = list(
        Delivery.objects.filter(campaign=campaign).order_by("pk").values_list("message", flat=True)
    )
    connection.close()  # a worker's fresh connection: its first mark is prepared on it
    connection.ensure_connection()
    cutting_server.sender_pid = connection.connection.info.backend_pid

    with pytest.raises(DatabaseError):  # Django's class: what the outbox's code catches
        messages_deliver(message_ids=message_ids)

    # The batch stopped at the email whose mark was lost: the others were never handed over.
    assert len(cutting_server.messages) == 1
    # Django knows the connection failed: at the task's end it is replaced, not kept.
    assert connection.errors_occurred
    connection.close_if_unusable_or_obsolete()
    assert connection.connection is None

    # The leases run out; the sweep sends all three (the first again, as a cut-off attempt).
    rows = OutboxMessage.objects.filter(pk__in=message_ids)
    assert set(rows.values_list("status", flat=True)) == {OutboxMessage.Status.QUEUED}
    later = timezone.now() + timedelta(
        seconds=settings.OUTBOX_LEASE_SECONDS + settings.OUTBOX_SWEEP_AFTER + 1
    )
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    try:
        with time_machine.travel(later):
            assert outbox_sweep() == 3
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = False, False

    assert set(rows.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    received = cutting_server.wait_for(4)
    message_id_of = dict(rows.values_list("to", "message_id_header"))
    first = received[0]
    assert [m["Message-ID"] for m in received].count(first["Message-ID"]) == 2
    assert {m["To"]: m["Message-ID"] for m in received} == message_id_of
