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
Every psycopg call runs under the connection's ``wrap_database_errors``, as Django's cursor
does: a psycopg error (the connection lost, say) surfaces as Django's class of it (a
``django.db.DatabaseError``, which the batch path catches), and the connection is flagged so
Django checks it and replaces a broken one (``close_if_unusable_or_obsolete``).
Outside a transaction (a worker's batch) the UPDATE is a prepared statement of the
connection, so PostgreSQL parses and plans it once, not once per email; a connection that
lost it (a pooler, ``DISCARD ALL``) gets the mark again as a plain statement at once and
prepares it afresh for the next one. Other databases get the ORM's UPDATE, awaited at once.
"""

import functools
import hashlib
import select
import weakref
from datetime import datetime

import psycopg
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone
from psycopg import errors, pq

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


_NO_SUCH_STATEMENT = errors.InvalidSqlStatementName.sqlstate or "26000"
_ALREADY_PREPARED = errors.DuplicatePreparedStatement.sqlstate or "42P05"
#: The names of the mark statements each open connection has prepared (by its SQL).
_PREPARED: "weakref.WeakKeyDictionary[psycopg.Connection[object], dict[bytes, bytes]]" = (
    weakref.WeakKeyDictionary()
)


def _prepared(pg_connection: "psycopg.Connection[object]", sql: bytes) -> bytes | None:
    """The name of ``sql`` prepared on the connection, preparing it the first time (a
    statement outlives a rolled-back transaction; it is the connection's); None when it
    cannot be prepared, and the mark is then sent as a plain statement: the server has
    already accepted the email, so its mark must go out whatever the statement's fate.

    A name that is already there names this very SQL (it is the SQL's hash): behind a pooler
    the connection may be lent a server session that prepared it before, while the session
    it was last lent had not."""
    names = _PREPARED.setdefault(pg_connection, {})
    if sql not in names:
        name = f"outbox_sent_mark_{hashlib.sha256(sql).hexdigest()[:12]}".encode()
        result = pg_connection.pgconn.prepare(name, sql)
        state = (result.error_field(pq.DiagnosticField.SQLSTATE) or b"").decode()
        if result.status != pq.ExecStatus.COMMAND_OK and state != _ALREADY_PREPARED:
            return None
        names[sql] = name
    return names[sql]


class SentMarks:
    """At most one "sent" mark in flight on Django's database connection.

    ``send(message)`` writes the mark without waiting for PostgreSQL; ``wait()`` returns
    once it is done (committed, when no transaction is open) and must be called before
    anything else uses the connection. ``wait`` may be called again after it was
    interrupted (a Celery time limit); it raises ``django.db.DatabaseError`` if the mark
    failed. ``send`` raises one (``django.db.OperationalError``) if the mark cannot be sent.
    """

    def __init__(self) -> None:
        self._in_flight: pq.abc.PGconn | None = None
        #: The prepared mark in flight, to send again unprepared if the connection lost it.
        self._prepared: tuple[bytes, list[bytes | None]] | None = None

    def send(self, message: OutboxMessage) -> None:
        self.wait()
        changes = sent_changes(message, now=timezone.now())
        database = connections[DEFAULT_DB_ALIAS]  # once: each use of the proxy looks it up
        if database.vendor != "postgresql":
            OutboxMessage.objects.filter(pk=message.pk).update(**changes)
            return
        database.ensure_connection()
        sql = _update_sql(tuple(changes))
        parameters = [*(_parameter(value) for value in changes.values()), _parameter(message.pk)]
        with database.wrap_database_errors:
            pg_connection = database.connection
            pgconn: pq.abc.PGconn = pg_connection.pgconn
            # In a transaction a mark that failed could not be sent again: plain, then.
            name = _prepared(pg_connection, sql) if database.get_autocommit() else None
            if name is not None:
                self._prepared = (sql, parameters)
                pgconn.send_query_prepared(name, parameters)
            else:
                self._prepared = None
                pgconn.send_query_params(sql, parameters)
            self._in_flight = pgconn
            self._flush(pgconn)

    def wait(self) -> None:
        pgconn = self._in_flight
        if pgconn is None:
            return
        database = connections[DEFAULT_DB_ALIAS]
        try:
            with database.wrap_database_errors:
                failures = self._results(pgconn)
                lost = failures and all(state == _NO_SUCH_STATEMENT for state, _ in failures)
                if lost and self._prepared is not None:
                    _PREPARED.pop(database.connection, None)  # prepared afresh next time
                    pgconn.send_query_params(*self._prepared)
                    self._flush(pgconn)
                    failures = self._results(pgconn)
        except DatabaseError:
            self._in_flight = None
            raise
        self._in_flight = None
        if failures:
            database.errors_occurred = True  # Django checks the connection before reusing it
            raise DatabaseError(f"An email's sent mark failed: {'; '.join(m for _, m in failures)}")

    @staticmethod
    def _results(pgconn: pq.abc.PGconn) -> list[tuple[str, str]]:
        """Wait for the command's results; ``(SQLSTATE, message)`` of each that failed."""
        failures: list[tuple[str, str]] = []
        while True:
            while pgconn.is_busy():
                select.select([pgconn.socket], [], [])
                pgconn.consume_input()
            result = pgconn.get_result()
            if result is None:
                return failures
            if result.status != pq.ExecStatus.COMMAND_OK:
                state = (result.error_field(pq.DiagnosticField.SQLSTATE) or b"").decode()
                message = (result.error_message or b"").decode(errors="replace")
                failures.append((state, message))

    @staticmethod
    def _flush(pgconn: pq.abc.PGconn) -> None:
        """Push the whole command to the server (libpq buffers it on a non-blocking socket)."""
        while pgconn.flush():
            readable, _, _ = select.select([pgconn.socket], [pgconn.socket], [])
            if readable:
                pgconn.consume_input()
