"""Django's PostgreSQL backend, checking a kept connection's health without a query.

With ``CONN_HEALTH_CHECKS`` Django sends ``SELECT 1`` before the first query of every request
on a kept connection (``CONN_MAX_AGE``), a whole round trip to the server on every page. A
kept connection sits idle between requests, so the server has nothing to send on it: when its
socket is readable the server has closed it (a restart, ``pg_terminate_backend``, an idle
timeout) or written something unexpected, and it is closed and opened afresh, as a failed
``SELECT 1`` would. One ``poll`` of the socket answers that locally. A connection psycopg
already knows to be closed or broken fails too. What the poll cannot see (a network path that
silently died) a ``SELECT 1`` would only wait on as well.

Settings: ``DATABASES["default"]["ENGINE"] = "practice.core.postgresql"``.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    health_check_enabled: bool  # Django's, missing from django-stubs
    health_check_done: bool

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
