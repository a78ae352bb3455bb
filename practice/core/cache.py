"""The site's Redis cache backend: Django's, with one Redis client per connection pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call;
redis-py's client set-up (its table of ~170 response callbacks) costs 0.03-0.3 ms of CPU,
more than the round trip of a ``GET``. This backend builds the client once per connection
pool and hands the same one back: a ``redis.Redis`` over a pool is safe to share between
threads (each command borrows its own connection), and Django's cache handler gives every
thread its own backend anyway.

Fork safety: a pool (and its client) made before a fork is never used by the child. Each
call compares the process id with the one that made the pools; in a new process (a gunicorn
or Celery worker forked from a parent that touched the cache) the pools and clients are
dropped and made afresh, so two processes never share a pool's sockets.

Settings: ``CACHES["default"]["BACKEND"] = "practice.core.cache.RedisCache"``; every other
option is Django's (``LOCATION``, ``OPTIONS``: ``pool_class``, ``parser_class``, ...).
"""

import os
from typing import Any

from django.core.cache.backends import redis as django_redis
from redis import ConnectionPool, Redis


class RedisCacheClient(django_redis.RedisCacheClient):
    """Django's client, reusing one ``redis.Redis`` per connection pool in this process."""

    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._pid = os.getpid()
        self._clients: dict[int, Redis] = {}  # by id() of a pool held in self._pools

    def get_client(
        self, key: str | bytes | memoryview | None = None, *, write: bool = False
    ) -> Redis:
        """The one client of the pool chosen for this call (``write``: the primary)."""
        django_client: Any = self  # Django's pool attributes are not in its type stubs
        if self._pid != os.getpid():  # forked: the parent's pools are not ours to use
            django_client._pools = {}
            self._clients = {}
            self._pid = os.getpid()
        pool: ConnectionPool = django_client._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), Redis(connection_pool=pool))
        return client


class RedisCache(django_redis.RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` over :class:`RedisCacheClient`."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
