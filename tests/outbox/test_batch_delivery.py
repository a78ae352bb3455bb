"""The batch path: many queued emails delivered over one SMTP connection, each keeping the
promises of a single delivery (its lease, its Message-ID, its own retries)."""

from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.db import transaction
from django.utils import timezone

from practice.outbox.delivery import messages_deliver
from practice.outbox.models import OutboxAttachment, OutboxMessage
from practice.outbox.services import emails_queue_rendered
from practice.outbox.types import RenderedEmail
from tests.fixtures.services import SmtpServer, smtp_server_instead, wait_until


class CountingServer(SmtpServer):
    """Remembers the client end of each connection, and refuses one recipient."""

    refused = "nobody@example.com"

    def __init__(self) -> None:
        super().__init__()
        self.connections: set[str] = set()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address == self.refused:
            return "550 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.connections.add(str(session.peer))
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def counting_server(smtp_server: SmtpServer, settings: Any) -> Any:
    with smtp_server_instead(CountingServer(), settings) as server:
        yield server


def batch(*keys: str, to: str = "reader@example.com") -> list[RenderedEmail]:
    return [
        RenderedEmail(
            to=to,
            subject=f"Letter {key}",
            text=f"Text {key}",
            html=f"<p>HTML {key}</p>",
            idempotency_key=key,
            headers={"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
        for key in keys
    ]


@pytest.mark.usefixtures("celery_worker")
def test_a_batch_goes_over_one_connection_and_each_email_is_marked_sent(
    counting_server: CountingServer,
) -> None:
    with transaction.atomic():
        messages = emails_queue_rendered(emails=batch(*(f"b{n}" for n in range(6))))

    received = counting_server.wait_for(6)
    wait_until(lambda: OutboxMessage.objects.filter(status="sent").count() == 6)
    assert len(counting_server.connections) == 1
    assert sorted(m["Message-ID"] for m in received) == sorted(
        m.message_id_header for m in messages
    )
    assert {m["List-Unsubscribe-Post"] for m in received} == {"List-Unsubscribe=One-Click"}
    assert all(m.get_body(("html",)) is not None for m in received)


@pytest.mark.django_db
def test_an_email_already_queued_under_its_key_is_not_queued_again() -> None:
    first = emails_queue_rendered(emails=batch("k1", "k2"))
    again = emails_queue_rendered(emails=batch("k2", "k3", "k3"))

    assert [m.idempotency_key for m in again] == ["k2", "k3"]
    assert again[0].pk == first[1].pk
    assert again[0].message_id_header == first[1].message_id_header
    assert OutboxMessage.objects.count() == 3


@pytest.mark.django_db
def test_a_refused_recipient_does_not_stop_the_others(counting_server: CountingServer) -> None:
    ok = emails_queue_rendered(emails=batch("r1", "r3"))
    refused = emails_queue_rendered(emails=batch("r2", to=CountingServer.refused))
    ids = sorted(m.pk for m in [*ok, *refused])

    retries = messages_deliver(message_ids=ids)

    assert set(retries) == {refused[0].pk}
    assert len(counting_server.messages) == 2
    statuses = dict(OutboxMessage.objects.values_list("idempotency_key", "status"))
    assert statuses == {"r1": "sent", "r2": "queued", "r3": "sent"}
    failed = OutboxMessage.objects.get(idempotency_key="r2")
    assert failed.attempts == 1
    assert "550" in failed.last_error
    assert failed.sending_since is None


@pytest.mark.django_db
def test_with_the_server_down_every_email_records_a_failed_attempt(
    smtp_server: SmtpServer,
) -> None:
    smtp_server.stop()
    messages = emails_queue_rendered(emails=batch("d1", "d2", "d3"))

    retries = messages_deliver(message_ids=[m.pk for m in messages])

    assert set(retries) == {m.pk for m in messages}
    for message in OutboxMessage.objects.all():
        assert (message.status, message.attempts, message.sending_since) == ("queued", 1, None)
        assert message.next_attempt_at is not None
        assert message.next_attempt_at > timezone.now()


@pytest.mark.django_db
def test_an_email_another_attempt_is_sending_is_left_to_it(smtp_server: SmtpServer) -> None:
    busy, free = emails_queue_rendered(emails=batch("l1", "l2"))
    OutboxMessage.objects.filter(pk=busy.pk).update(sending_since=timezone.now(), attempts=1)

    messages_deliver(message_ids=[busy.pk, free.pk])

    assert [m["Subject"] for m in smtp_server.messages] == ["Letter l2"]
    busy.refresh_from_db()
    assert (busy.status, busy.attempts) == ("queued", 1)


@pytest.mark.django_db
def test_a_batch_cut_off_by_the_time_limit_gives_the_untried_emails_back(
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "tests.outbox.backends.StalledBackend"
    cut, untried_1, untried_2 = emails_queue_rendered(emails=batch("t1", "t2", "t3"))

    retries = messages_deliver(message_ids=[cut.pk, untried_1.pk, untried_2.pk])

    assert retries[untried_1.pk] == retries[untried_2.pk] == 0
    assert retries[cut.pk] > 0
    for message in (untried_1, untried_2):
        message.refresh_from_db()
        assert (message.attempts, message.sending_since) == (0, None)
    cut.refresh_from_db()
    assert (cut.status, cut.attempts, cut.sending_since) == ("queued", 1, None)


@pytest.mark.django_db
def test_an_email_with_an_attachment_in_a_batch_keeps_it(smtp_server: SmtpServer) -> None:
    """The batch's lease query tells which emails have attachments; those keep them, the
    others go out as the batch's look-alikes."""
    plain_one, with_file, plain_two = emails_queue_rendered(emails=batch("p1", "f", "p2"))
    OutboxAttachment.objects.create(
        message=with_file, filename="guide.pdf", mimetype="application/pdf", content=b"%PDF-1.4"
    )

    assert messages_deliver(message_ids=[plain_one.pk, with_file.pk, plain_two.pk]) == {}

    received = {m["Subject"]: m for m in smtp_server.wait_for(3)}
    [attachment] = received["Letter f"].iter_attachments()
    assert (attachment.get_filename(), attachment.get_content()) == ("guide.pdf", b"%PDF-1.4")
    assert [
        *received["Letter p1"].iter_attachments(),
        *received["Letter p2"].iter_attachments(),
    ] == []
    assert all(m.get_body(("html",)) is not None for m in received.values())
