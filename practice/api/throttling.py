"""The API's rate limit: fixed-window counters per client address, in one cache round trip.

Every API view is throttled by :class:`ClientRateThrottle` (``DEFAULT_THROTTLE_CLASSES``)
with the rates of ``DEFAULT_THROTTLE_RATES``, as DRF's anonymous and user throttles were:

* ``anon``: requests of a client that is not signed in, per client address (an IPv6 client
  per /64: ``practice.core.client_address.rate_limit_key``);
* ``user``: requests per signed-in account, or per client address for one not signed in
  (DRF's user throttle counts anonymous clients too, so both limits apply to them).

The client address is the site's one notion of it (``practice.core.client_address``):
DRF's own ``get_ident`` trusts the whole X-Forwarded-For header when ``NUM_PROXIES`` is
unset, so a client writing a new header each time would escape the limit.

Each limit is a fixed window (``rate`` requests per ``duration`` seconds, windows aligned on
multiples of the duration since the epoch): one Redis INCR and EXPIRE per limit, sent with
the reads a view asks for (:attr:`ClientRateThrottle.cache_reads_attribute`) in one pipeline,
a single round trip per request. DRF's throttles kept a list of timestamps per client and
cost a GET and a SET each, a list whose unpickling grew with the rate. A client can at
most send twice the rate across the boundary of two windows. An over-limit request gets
DRF's 429 in the API's error shape, with Retry-After: the seconds to the end of its window.
"""

import math
import time
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from redis import Redis
from redis.commands.core import Script
from rest_framework import throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings

from practice.core.client_address import rate_limit_key

if TYPE_CHECKING:  # rest_framework.views imports this module (DEFAULT_THROTTLE_CLASSES)
    from rest_framework.views import APIView

#: Where a view lists the cache keys it reads on every request (plain keys, as given to
#: ``django.core.cache.cache``); their values are read in the throttle's round trip.
CACHE_READS_ATTRIBUTE = "cache_reads"
#: Where those values are left on the request (``request._request``), by key; see
#: :func:`cache_read`.
_READ_VALUES = "_api_cache_reads"

#: The script, bound to the cache's client: the site's backend (``practice.core.cache``)
#: keeps one ``redis.Redis`` per connection pool and process, so this is one script per pool.
_scripts: "weakref.WeakKeyDictionary[Redis, Script]" = weakref.WeakKeyDictionary()


class ClientRateThrottle(throttling.BaseThrottle):
    """Both API rate limits and the view's ``cache_reads`` in one cache round trip."""

    def __init__(self) -> None:
        self._wait: float | None = None

    def allow_request(self, request: Request, view: "APIView") -> bool:
        windows = _windows(request, now=time.time())
        reads: Sequence[str] = getattr(view, CACHE_READS_ATTRIBUTE, ())
        counts, values = _count_and_read(windows, reads)
        setattr(request._request, _READ_VALUES, values)
        over = [
            window for window, count in zip(windows, counts, strict=True) if count > window.rate
        ]
        if not over:
            return True
        self._wait = max(window.seconds_left for window in over)
        return False

    def wait(self) -> float | None:
        return self._wait


def cache_read(request: Request, key: str) -> tuple[bool, Any]:
    """``(True, value)`` for a key of the view's ``cache_reads`` read with the throttle's
    counters (``value`` is None when the key is not in the cache); ``(False, None)`` when it
    was not read (no throttle ran, e.g. throttling turned off), so the caller reads it itself.
    """
    values: dict[str, Any] | None = getattr(request._request, _READ_VALUES, None)
    if values is None or key not in values:
        return False, None
    return True, values[key]


class Window:
    """One rate limit's current window for one client: ``rate`` requests per ``duration``."""

    def __init__(self, *, scope: str, ident: str, rate: int, duration: int, now: float) -> None:
        self.rate = rate
        self.duration = duration
        index = int(now // duration)
        self.key = f"api-throttle:{scope}:{ident}:{duration}:{index}"
        self.seconds_left = max(1, math.ceil((index + 1) * duration - now))


def _windows(request: Request, *, now: float) -> list[Window]:
    rates: dict[str, Any] = dict(api_settings.DEFAULT_THROTTLE_RATES)
    user = request.user
    signed_in = bool(user and user.is_authenticated)
    address = rate_limit_key(request._request) or ""  # no usable address: one shared bucket
    limits = [("user", f"user-{user.pk}" if signed_in else f"address-{address}")]
    if not signed_in:
        limits.insert(0, ("anon", f"address-{address}"))
    windows = []
    for scope, ident in limits:
        rate = rates.get(scope)
        if rate is None:
            continue  # no rate for this scope: not limited
        count, duration = _rate_parse(rate)
        windows.append(Window(scope=scope, ident=ident, rate=count, duration=duration, now=now))
    return windows


def _rate_parse(rate: str) -> tuple[int, int]:
    """``"60/minute"`` as (60, 60): DRF's notation, parsed by DRF."""
    count, duration = throttling.SimpleRateThrottle.parse_rate(None, rate)  # type: ignore[arg-type]
    if count is None or duration is None:
        raise ValueError(f"Not a throttle rate: {rate!r}")
    return int(count), int(duration)


def _count_and_read(
    windows: list[Window], reads: Sequence[str]
) -> tuple[list[int], dict[str, Any]]:
    """Each window's count after this request, and the values of ``reads`` (None if absent)."""
    backend = caches[DEFAULT_CACHE_ALIAS]  # this thread's
    if isinstance(backend, RedisCache):
        return _count_and_read_redis(backend, windows, reads)
    counts = []
    for window in windows:
        cache.add(window.key, 0, timeout=window.duration + 1)
        try:
            counts.append(cache.incr(window.key))
        except ValueError:  # expired between add and incr: this request starts a new count
            cache.set(window.key, 1, timeout=window.duration + 1)
            counts.append(1)
    found = cache.get_many(list(reads)) if reads else {}
    return counts, {key: found.get(key) for key in reads}


#: Counts the windows and reads the other keys in one command, so one round trip. KEYS: the
#: windows' keys, then the keys to read; ARGV: the number of windows, then each one's
#: time to live (seconds). Answers each window's count, then each read's value (nil if absent).
COUNT_AND_READ = """
local windows = tonumber(ARGV[1])
local answer = {}
for i = 1, windows do
  answer[i] = redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], ARGV[i + 1])
end
for i = windows + 1, #KEYS do
  answer[i] = redis.call('GET', KEYS[i])
end
return answer
"""


def _count_and_read_redis(
    backend: RedisCache, windows: list[Window], reads: Sequence[str]
) -> tuple[list[int], dict[str, Any]]:
    client_of_backend: Any = backend._cache  # its serializer: no public accessor
    script = _script(client_of_backend.get_client(write=True))
    keys = [backend.make_and_validate_key(key) for key in (*(w.key for w in windows), *reads)]
    answer = cast(list[Any], script(keys, [len(windows), *(w.duration + 1 for w in windows)]))
    counts = [int(count) for count in answer[: len(windows)]]
    serializer = client_of_backend._serializer
    values = {
        read: None if raw is None else serializer.loads(raw)
        for read, raw in zip(reads, answer[len(windows) :], strict=True)
    }
    return counts, values


def _script(client: Redis) -> Script:
    script = _scripts.get(client)
    if script is None:
        script = _scripts.setdefault(client, Script(client, COUNT_AND_READ))
    return script
