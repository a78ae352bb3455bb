"""The "sent" mark of a batch's emails, written while the next email's envelope goes out.

The batch path (``delivery.messages_deliver``) marks each email sent the moment the mail
server accepts it. Waiting for that UPDATE before saying anything more to the server costs a
database round trip per email, the largest cost of a batch after the SMTP conversation
itself. So the mark of email *k* is sent to PostgreSQL without waiting (one statement, its
own transaction when no transaction is open), the server is given email *k+1*'s ``MAIL
FROM`` and ``RCPT TO`` meanwhile, and the mark's commit is awaited before *k+1*'s ``DATA``,
the only command after which the server can accept *k+1*. At any moment, then, at most one
accepted email is not yet marked: the one whose sending a crash would cut off, exactly as
when each mark is awaited. The promise of ``delivery.message_deliver`` is unchanged.

Uses psycopg's documented ``pq`` layer (libpq's asynchronous command processing) on Django's
own connection, so the mark is part of the caller's transaction when there is one (tests).
Other databases get the ORM's UPDATE, awaited at once.
"""

import functools
import select
from datetime import datetime

import psycopg
from django.db import DatabaseError, connection
from django.utils import timezone
from psycopg import pq

from practice.outbox.models import OutboxMessage

#: What a private message's body becomes once it is sent or has failed for good: its secret
#: link must not linger, and she asks for a new link rather than staff sending this one again.
ERASED_CONTENT = "(Erased: this email held a private link, not kept once sent or given up on.)"


def sent_changes(message: OutboxMessage, *, now: datetime) -> dict[str, object]:
    """The columns a "sent" mark sets: sent at ``now`` (UTC), no lease, no retry, no error,
    and a private body erased."""
    erased = {"text_body": ERASED_CONTENT, "html_body": ERASED_CONTENT} if message.private else {}
    return {
        "status": OutboxMessage.Status.SENT,
        "sent_at": now,
        "sending_since": None,
        "next_attempt_at": None,
        "last_error": "",
        **erased,
    }


@functools.cache
def _update_sql(names: tuple[str, ...]) -> bytes:
    """``UPDATE outbox SET col = $1, ... WHERE id = $n`` with quoted column names."""
    quote = connection.ops.quote_name
    columns = {field.name: str(field.column) for field in OutboxMessage._meta.concrete_fields}
    assignments = ", ".join(
        f"{quote(columns[name])} = ${number}" for number, name in enumerate(names, start=1)
    )
    table = quote(OutboxMessage._meta.db_table)
    where = f"{quote(columns['id'])} = ${len(names) + 1}"
    return f"UPDATE {table} SET {assignments} WHERE {where}".encode()  # noqa: S608


def _parameter(value: object) -> bytes | None:
    """A value in PostgreSQL's text format (its type comes from the column)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat().encode()
    return str(value).encode()


class SentMarks:
    """At most one "sent" mark in flight on Django's database connection.

    ``send(message)`` writes the mark without waiting for PostgreSQL; ``wait()`` returns
    once it is done (committed, when no transaction is open) and must be called before
    anything else uses the connection. ``wait`` may be called again after it was
    interrupted (a Celery time limit); it raises ``django.db.DatabaseError`` if the mark
    failed.
    """

    def __init__(self) -> None:
        self._in_flight: pq.abc.PGconn | None = None

    def send(self, message: OutboxMessage) -> None:
        self.wait()
        changes = sent_changes(message, now=timezone.now())
        if connection.vendor != "postgresql":
            OutboxMessage.objects.filter(pk=message.pk).update(**changes)
            return
        connection.ensure_connection()
        pgconn: pq.abc.PGconn = connection.connection.pgconn
        parameters = [_parameter(value) for value in changes.values()]
        pgconn.send_query_params(_update_sql(tuple(changes)), [*parameters, _parameter(message.pk)])
        self._in_flight = pgconn
        self._flush(pgconn)

    def wait(self) -> None:
        pgconn = self._in_flight
        if pgconn is None:
            return
        errors = []
        try:
            while True:
                while pgconn.is_busy():
                    select.select([pgconn.socket], [], [])
                    pgconn.consume_input()
                result = pgconn.get_result()
                if result is None:
                    break
                if result.status != pq.ExecStatus.COMMAND_OK:
                    errors.append((result.error_message or b"").decode(errors="replace"))
        except psycopg.Error as exc:
            self._in_flight = None
            raise DatabaseError(f"An email's sent mark failed: {exc}") from exc
        self._in_flight = None
        if errors:
            raise DatabaseError(f"An email's sent mark failed: {'; '.join(errors)}")

    @staticmethod
    def _flush(pgconn: pq.abc.PGconn) -> None:
        """Push the whole command to the server (libpq buffers it on a non-blocking socket)."""
        try:
            while pgconn.flush():
                readable, _, _ = select.select([pgconn.socket], [pgconn.socket], [])
                if readable:
                    pgconn.consume_input()
        except psycopg.Error as exc:
            raise DatabaseError(f"An email's sent mark failed: {exc}") from exc
