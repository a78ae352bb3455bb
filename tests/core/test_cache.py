"""The site's Redis cache backend (practice.core.cache): one client per pool, fork-safe."""

import json
import os

from django.conf import settings
from django.core.cache import cache, caches

from practice.core.cache import RedisCache


def backend() -> RedisCache:
    default = caches["default"]
    assert isinstance(default, RedisCache), settings.CACHES["default"]["BACKEND"]
    return default


def test_every_cache_call_uses_the_same_client_and_pool() -> None:
    client = backend()._cache.get_client(write=True)

    cache.set("cache-test:one", {"a": 1})
    assert cache.get("cache-test:one") == {"a": 1}
    assert backend()._cache.get_client(write=True) is client
    assert backend()._cache.get_client() is client  # one server: reads go to the same pool


def round_trips(prefix: str, count: int) -> list[str]:
    """Write then read back ``count`` values of this process's own; the ones that came back
    wrong (a socket shared by two processes mixes their answers)."""
    wrong = []
    for i in range(count):
        key = f"cache-test:{prefix}:{i}"
        cache.set(key, f"{prefix}-{i}")
        if (value := cache.get(key)) != f"{prefix}-{i}":
            wrong.append(f"{key}={value!r}")
    return wrong


def test_a_forked_child_gets_its_own_pool_and_both_processes_keep_working() -> None:
    cache.set("cache-test:before-fork", "parent's")  # the parent's pool has a connection open
    parent_pool = backend()._cache.get_client(write=True).connection_pool
    reader, writer = os.pipe()

    pid = os.fork()
    if pid == 0:  # the child, as a gunicorn or Celery worker forked from a warm parent
        code = 1
        try:
            pool = backend()._cache.get_client(write=True).connection_pool
            report = {
                "inherited": cache.get("cache-test:before-fork"),
                "own_pool": pool is not parent_pool and pool.pid == os.getpid(),
                "wrong": round_trips("child", 300),
            }
            cache.set("cache-test:from-child", "child's")
            os.write(writer, json.dumps(report).encode())
            code = 0
        finally:
            os._exit(code)

    os.close(writer)
    parent_wrong = round_trips("parent", 300)  # while the child runs its own
    with os.fdopen(reader) as pipe:
        report = json.loads(pipe.read() or "{}")
    _, status = os.waitpid(pid, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert report == {"inherited": "parent's", "own_pool": True, "wrong": []}
    assert parent_wrong == []
    assert cache.get("cache-test:from-child") == "child's"
    assert backend()._cache.get_client(write=True).connection_pool is parent_pool
