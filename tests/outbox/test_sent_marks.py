"""The batch path writes each "sent" mark while the next email's envelope goes out, and
awaits it before that email's DATA: at any moment at most one accepted email is unmarked,
so a crash can only make the copy it cut off go twice (under its one Message-ID)."""

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from practice.outbox.delivery import ERASED_CONTENT, message_deliver, messages_deliver
from practice.outbox.models import OutboxMessage
from practice.outbox.services import email_queue_rendered, emails_queue_rendered
from practice.outbox.types import RenderedEmail
from tests.fixtures.services import SmtpServer, smtp_server_instead


def letters(count: int, prefix: str = "m") -> list[RenderedEmail]:
    return [
        RenderedEmail(
            to=f"reader{n}@example.com",
            subject="Three small habits",
            text=f"Text {n}\n",
            html=f"<p>HTML {n}</p>\n",
            idempotency_key=f"{prefix}{n}",
            headers={"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
        for n in range(count)
    ]


def _sent_count() -> int:
    """Committed "sent" marks, seen from a connection of its own."""
    try:
        return OutboxMessage.objects.filter(status=OutboxMessage.Status.SENT).count()
    finally:
        connections.close_all()


class WatchingServer(SmtpServer):
    """Counts, as each email's DATA arrives, the sent marks already committed."""

    def __init__(self) -> None:
        super().__init__()
        self.marked_before: list[int] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.marked_before.append(await asyncio.to_thread(_sent_count))
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def watching_server(smtp_server: SmtpServer, settings: Any) -> Iterator[WatchingServer]:
    with smtp_server_instead(WatchingServer(), settings) as server:
        yield server


@pytest.mark.django_db(transaction=True)
def test_every_accepted_email_is_marked_before_the_next_one_can_be_accepted(
    watching_server: WatchingServer,
) -> None:
    messages = OutboxMessage.objects.bulk_create(  # rows only: no task to race this test
        OutboxMessage(
            idempotency_key=email.idempotency_key,
            sender="Strong Bones PT <hello@practice.example>",
            to=email.to,
            subject=email.subject,
            text_body=email.text,
            html_body=email.html,
            headers=email.headers,
            message_id_header=f"<{email.idempotency_key}@practice.example>",
        )
        for email in letters(12)
    )

    assert messages_deliver(message_ids=[m.pk for m in messages]) == {}

    # The n-th email's DATA came after the n-1 before it were committed as sent.
    assert watching_server.marked_before == list(range(12))
    assert OutboxMessage.objects.filter(status="sent").count() == 12


@pytest.mark.django_db
def test_a_private_email_sent_in_a_batch_is_marked_and_erased_as_one_sent_alone(
    smtp_server: SmtpServer,
) -> None:
    alone, in_batch, other = (
        email_queue_rendered(
            to="reader@example.com",
            subject="Your link",
            text="Your secret link: https://practice.example/s/abc\n",
            html="<p>Your secret link</p>\n",
            idempotency_key=key,
            private=True,
        )
        for key in ("alone", "batch", "other")
    )
    OutboxMessage.objects.filter(pk=in_batch.pk).update(last_error="OSError: earlier try")
    before = timezone.now()

    message_deliver(message_id=alone.pk)
    messages_deliver(message_ids=[in_batch.pk, other.pk])

    assert len(smtp_server.wait_for(3)) == 3
    columns = ("status", "text_body", "html_body", "sending_since", "next_attempt_at", "last_error")
    rows = OutboxMessage.objects.order_by("pk").values_list(*columns, "sent_at")
    for row in rows:
        assert row[:-1] == ("sent", ERASED_CONTENT, ERASED_CONTENT, None, None, "")
        assert before <= row[-1] <= timezone.now()


@pytest.mark.django_db
def test_when_a_mark_fails_the_next_email_is_not_handed_over(smtp_server: SmtpServer) -> None:
    first, second, third = emails_queue_rendered(emails=letters(3, prefix="f"))
    with connection.cursor() as cursor:  # PostgreSQL refuses the first email's mark
        cursor.execute(
            "CREATE FUNCTION pg_temp.refuse_mark() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'disk full'; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER refuse_mark BEFORE UPDATE ON {OutboxMessage._meta.db_table} "
            f"FOR EACH ROW WHEN (NEW.status = 'sent' AND NEW.id = {first.pk}) "
            "EXECUTE FUNCTION pg_temp.refuse_mark()"
        )

    with pytest.raises(DatabaseError, match="disk full"), transaction.atomic():
        messages_deliver(message_ids=[first.pk, second.pk, third.pk])

    assert [m["To"] for m in smtp_server.wait_for(1)] == ["reader0@example.com"]


@pytest.mark.django_db(transaction=True)  # a worker's batch: no transaction around it
def test_a_connection_that_lost_its_prepared_mark_still_marks_every_email_sent(
    smtp_server: SmtpServer,
) -> None:
    """The mark is a prepared statement of the connection; a pooler or ``DISCARD ALL`` can
    take it away between batches, and then no email may stay unmarked (it would go twice)."""
    first_batch = emails_queue_rendered(emails=letters(3, prefix="a"))
    assert messages_deliver(message_ids=[m.pk for m in first_batch]) == {}
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")

    second_batch = emails_queue_rendered(emails=letters(3, prefix="b"))
    assert messages_deliver(message_ids=[m.pk for m in second_batch]) == {}
    third_batch = emails_queue_rendered(emails=letters(3, prefix="c"))
    assert messages_deliver(message_ids=[m.pk for m in third_batch]) == {}

    assert len(smtp_server.wait_for(9)) == 9
    statuses = OutboxMessage.objects.values_list("status", "sending_since", "last_error")
    assert list(statuses) == [("sent", None, "")] * 9
    with connection.cursor() as cursor:  # prepared again for the batches after
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'outbox%%'")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db(transaction=True)  # a worker's batch: no transaction around it
def test_a_connection_that_lost_one_prepared_mark_but_kept_the_other_marks_every_email_sent(
    smtp_server: SmtpServer,
) -> None:
    """Behind a pooler in transaction mode the connection's statements are those of whichever
    server session it is lent: one mark may be missing there while the other (a private
    email's, which also erases the body) is still prepared. Each email the server accepted
    must be marked sent, none left for the sweep to send a second time."""

    def newsletter_and_private(prefix: str) -> list[OutboxMessage]:
        [newsletter] = emails_queue_rendered(emails=letters(1, prefix=prefix))
        private = email_queue_rendered(
            to="reader@example.com",
            subject="Your link",
            text="Your secret link: https://practice.example/s/abc\n",
            html="<p>Your secret link</p>\n",
            idempotency_key=f"{prefix}-private",
            private=True,
        )
        return [newsletter, private]

    first_batch = newsletter_and_private("a")
    assert messages_deliver(message_ids=[m.pk for m in first_batch]) == {}
    with connection.cursor() as cursor:  # this session lacks the newsletter's mark only
        cursor.execute(
            "SELECT name FROM pg_prepared_statements "
            "WHERE name LIKE 'outbox%%' AND statement NOT LIKE '%%text_body%%'"
        )
        [(newsletter_mark,)] = cursor.fetchall()
        cursor.execute(f'DEALLOCATE "{newsletter_mark}"')

    second_batch = newsletter_and_private("b")
    assert messages_deliver(message_ids=[m.pk for m in second_batch]) == {}

    assert len(smtp_server.wait_for(4)) == 4
    statuses = OutboxMessage.objects.values_list("status", "sending_since", "last_error")
    assert list(statuses) == [("sent", None, "")] * 4
