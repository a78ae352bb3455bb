"""A real worker killed (SIGKILL) in the middle of a campaign, then a new worker and beat:
everyone gets the newsletter, and nobody gets two different copies.

The only copy that can arrive twice is the one the dead worker was sending when it died,
and it comes again under the same Message-ID, so her mailbox shows it once (README).
"""

import math
import os
import signal
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session

from newsletter.campaigns import campaign_send
from newsletter.models import Campaign, Delivery
from tests.fixtures.services import (
    SmtpServer,
    running_beat,
    running_worker,
    smtp_server_instead,
    wait_until,
    worker_process,
)
from tests.newsletter.campaign_helpers import campaign_make, subscribers_make

READERS = 30


class ServerThatStallsAt(SmtpServer):
    """Keeps every message, but from the ``stall_at``-th on holds back its "accepted" reply
    (the worker is then in the middle of a conversation) until ``resume()``."""

    stall_at: float = math.inf

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if len(self.messages) + 1 >= self.stall_at:
            self._replies.clear()
        return await super().handle_DATA(server, session, envelope)

    def resume(self) -> None:
        self.stall_at = math.inf
        self._replies.set()


@pytest.fixture
def stalling_server(smtp_server: SmtpServer, settings: Any) -> Iterator[ServerThatStallsAt]:
    with smtp_server_instead(ServerThatStallsAt(), settings) as server:
        yield server


@pytest.mark.slow
@pytest.mark.queued_tasks  # real workers run the tasks here (tests/newsletter/conftest.py)
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_campaign_leaves_nobody_out_and_nobody_with_two_copies(
    stalling_server: ServerThatStallsAt, settings: Any
) -> None:
    settings.NEWSLETTER_BATCH_SIZE = 5
    settings.NEWSLETTER_RATE_PER_MINUTE = 0
    settings.OUTBOX_LEASE_SECONDS = 1
    settings.OUTBOX_SWEEP_AFTER = 0
    readers = subscribers_make(READERS)

    smtp_server = stalling_server
    smtp_server.stall_at = 13  # two batches and two emails of the third are through
    with worker_process(smtp_server) as worker:
        campaign = campaign_send(campaign=campaign_make())
        smtp_server.wait_for(13, timeout=90)
        # The worker is now in the middle of a conversation with the mail server.
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(30)
    smtp_server.resume()

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.SENDING
    before_restart = len(smtp_server.messages)
    assert before_restart < READERS, "the worker was killed before the end"

    with running_worker(), running_beat():
        wait_until(
            lambda: (
                Campaign.objects.filter(pk=campaign.pk, status="sent").exists()
                and not Delivery.objects.filter(campaign=campaign)
                .exclude(message__status="sent")
                .exists()
            ),
            timeout=90,
            what="every delivery to be sent",
        )

    copies: dict[str, set[str]] = defaultdict(set)
    received: dict[str, int] = defaultdict(int)
    for message in smtp_server.messages:
        copies[message["To"]].add(message["Message-ID"])
        received[message["To"]] += 1
        assert message.get_body(("plain",)) is not None
        assert message.get_body(("html",)) is not None
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(copies) == {reader.email for reader in readers}, "nobody is left out"
    assert all(len(ids) == 1 for ids in copies.values()), "one Message-ID per reader"
    cut_off = smtp_server.messages[12]["To"]  # the server had it, the worker died waiting
    duplicated = {to: count for to, count in received.items() if count > 1}
    assert duplicated == {cut_off: 2}, "only the copy cut off by the kill arrives twice"
