"""Django's PostgreSQL backend, checking a kept connection's health without a query, and
preparing the few statements every request runs.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request
on a kept connection (``CONN_MAX_AGE``), a whole round trip to the server on every page. A
kept connection sits idle between requests, so the server has nothing to send on it: when its
socket is readable the server has closed it (a restart, ``pg_terminate_backend``, an idle
timeout) or written something unexpected, and it is closed and opened afresh, as a failed
``SELECT 1`` would. One ``poll`` of the socket answers that locally. A connection psycopg
already knows to be closed or broken fails too. What the poll cannot see (a network path that
silently died) a ``SELECT 1`` would only wait on as well.

``prepared_cursor()`` is ``cursor()`` for a statement run on every request (the session with
the signed-in person, the patients list's state): psycopg prepares each statement it runs
(``prepare=True``), so PostgreSQL parses and plans it once per connection instead of on every
request (planning was 0.15-0.25 ms of the server's CPU for each of those two, measured with
``EXPLAIN ANALYZE``). Prepared statements live in the server's session: behind a pooler in
transaction mode that does not keep them (pgbouncer before 1.21, or without
``max_prepared_statements``) set ``DATABASE_PREPARED_STATEMENTS=off``, and it is ``cursor()``.

Settings: ``DATABASES["default"]["ENGINE"] = "practice.core.postgresql"``.
"""

import select
from typing import Any

from django.conf import settings
from django.db.backends.postgresql import base, operations
from django.utils.asyncio import async_unsafe
from psycopg import errors


class PreparedCursor(base.ServerBindingCursor):
    """Django's server-side-binding cursor, preparing every statement it executes."""

    def execute(self, query: Any, params: Any = None, *, prepare: bool | None = None,
                binary: bool | None = None) -> Any:  # fmt: skip
        return super().execute(query, params, prepare=True, binary=binary)  # type: ignore[misc]


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor: Any, sql: str, params: Any) -> str:
        """What Django logs (``connection.queries``, the test suite's captured queries): for a
        prepared statement, its SQL with the values written in, as Django composes it with
        server-side binding; psycopg keeps no text of a statement it executed prepared."""
        if not isinstance(cursor, PreparedCursor):
            return super().last_executed_query(cursor, sql, params)
        try:
            return self.compose_sql(sql, params)
        except errors.DataError:  # as Django's: a value it cannot write into the SQL
            return None  # type: ignore[return-value]


#: psycopg's ``prepare_threshold`` for the site's connections: no statement is prepared for
#: having run often (Django keeps that off, for poolers), only those sent with
#: ``prepare=True``, which psycopg refuses while the threshold is None.
ONLY_WHEN_ASKED = 2**31 - 1


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_enabled: bool  # Django's, missing from django-stubs
    health_check_done: bool
    ops_class = DatabaseOperations
    _prepared_next = False

    def get_connection_params(self) -> dict[str, Any]:
        params: dict[str, Any] = super().get_connection_params()
        if settings.DATABASE_PREPARED_STATEMENTS and params.get("prepare_threshold") is None:
            params["prepare_threshold"] = ONLY_WHEN_ASKED
        return params

    @async_unsafe
    def prepared_cursor(self) -> Any:
        """``cursor()`` whose statements are prepared on this connection (see the module)."""
        if not settings.DATABASE_PREPARED_STATEMENTS:
            return self.cursor()
        self._prepared_next = True
        try:
            return self.cursor()
        finally:
            self._prepared_next = False

    def create_cursor(self, name: str | None = None) -> Any:
        if name or not self._prepared_next:
            return super().create_cursor(name)
        # Django's own cursor set-up (its time zone loader), on a PreparedCursor.
        factory = self.connection.cursor_factory
        self.connection.cursor_factory = PreparedCursor
        try:
            return super().create_cursor(name)
        finally:
            self.connection.cursor_factory = factory

    def close_if_health_check_failed(self) -> None:
        if (
            self.pool
            or self.connection is None
            or not self.health_check_enabled
            or self.health_check_done
        ):
            super().close_if_health_check_failed()
            return
        if not self._idle_socket_quiet():
            self.close()
        self.health_check_done = True

    def _idle_socket_quiet(self) -> bool:
        """True when the idle connection is open and the server has written nothing on it."""
        connection = self.connection
        if connection.closed or connection.broken:
            return False
        poller = select.poll()
        try:
            poller.register(connection.fileno(), select.POLLIN)
            events = poller.poll(0)
        except (OSError, ValueError):
            return False
        return not events
