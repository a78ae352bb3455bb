"""Beat's sweep re-enqueues an email whose delivery task was lost, and only such emails."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from practice.outbox.models import OutboxMessage
from practice.outbox.services import outbox_sweep
from tests.fixtures.services import SmtpServer, running_beat, running_worker
from tests.outbox.helpers import queue_note

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow  # starts a worker and beat without their fixtures
def test_the_sweep_delivers_an_email_whose_task_was_lost(
    smtp_server: SmtpServer, settings: Any
) -> None:
    settings.OUTBOX_SWEEP_AFTER = 0
    message = queue_note("lost")

    # The worker starts on an empty queue: the email's task is gone, only its row is left.
    with running_worker(), running_beat():
        smtp_server.wait_for(1)

    assert [m["Subject"] for m in smtp_server.messages] == ["Note lost"]
    assert OutboxMessage.objects.get(pk=message.pk).status == "sent"


def test_the_sweep_waits_a_few_minutes_and_does_not_pile_up(settings: Any) -> None:
    settings.OUTBOX_SWEEP_AFTER = 300
    queue_note("recent")

    assert outbox_sweep() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert outbox_sweep() == 1
        assert outbox_sweep() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=12), tick=False):
        assert outbox_sweep() == 1
