"""A per-process memo of free-slot answers, exact to the last committed change.

Why it is exact (a taken time is never offered, a freed one is offered again at once):

* Every save or delete of what slots are computed from (bookings, hosts, weekly hours, date
  overrides, blocked periods, the therapist profile whose zone a host uses) calls
  :func:`slots_changed` through the signals connected in ``consults.apps``. It drops this
  process's answers at once and, when the transaction commits, writes a new version to the
  shared cache (Redis).
* :func:`remember` reads that version once per call, *before* computing, and serves only an
  answer stored under the same version. An answer computed from data read before a commit is
  stored under the version read before that commit's bump, so it is never served after it.
* The answer also depends on the clock (minimum notice and horizon). Slot starts, the notice
  (whole minutes) and the horizon (whole days) are all whole minutes of UTC, so a slot is
  dropped by the notice when ``now`` (whole seconds) passes ``k*60`` and added by the horizon
  when it reaches ``k*60``: :func:`clock_class` names the spans in which neither can change,
  and callers put it in their key.
* If the shared version cannot be read, nothing is served from the memo.

The booking service still re-checks fresh data under locks, so a memo can at worst show a time
that was taken in the instant between a commit and its version bump.
"""

import logging
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

VERSION_KEY = "consults:slots_version"
#: Answers kept per process (least recently used out first); one is a day's slots or a page's.
MAX_ENTRIES = 512

T = TypeVar("T")


def clock_class(now: datetime) -> tuple[int, bool]:
    """A key for the span of time around ``now`` in which notice and horizon cut the same
    slots: the minute, and whether ``now`` is exactly on its first second."""
    seconds = int(now.timestamp())
    return seconds // 60, seconds % 60 == 0


def slots_changed() -> None:
    """Say that free slots may have changed; call it inside the changing transaction.

    This process forgets its answers at once; the other processes on the commit (or at once
    outside a transaction).
    """
    answers.clear()
    transaction.on_commit(_version_bump, robust=True)


def remember(key: Hashable, compute: Callable[[], T], *, version: str | None = None) -> T:
    """``compute()``'s answer for ``key`` as of the last committed change of slots.

    ``key`` must hold everything the answer depends on besides the stored data (day, zones,
    host, :func:`clock_class`). The answer is shared between threads and requests: it must not
    be changed by its users. ``version`` is the shared version (the value of
    :data:`VERSION_KEY`) when the caller read it before computing, as the API does in its
    throttle's round trip; without it, it is read here.
    """
    if version is None:
        try:
            version = _version()
        except Exception:
            logger.warning("Slot memo: the shared version cannot be read", exc_info=True)
            return compute()
    found = answers.get(key, version=version)
    if found is not None:
        return found[0]
    value = compute()
    answers.put(key, (value,), version=version)
    return value


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:  # never bumped, or the shared cache was emptied: start a new one
        cache.add(VERSION_KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(VERSION_KEY)
    return str(version)


def _version_bump() -> None:
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)
    answers.clear()


class Answers:
    """This process's answers, all computed under one version: seeing another drops them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[Any]] = OrderedDict()
        self._version = ""

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def get(self, key: Hashable, *, version: str) -> tuple[Any] | None:
        with self._lock:
            if version != self._version:
                self._entries.clear()
                self._version = version
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: Hashable, value: tuple[Any], *, version: str) -> None:
        with self._lock:
            if version != self._version:
                return  # a change committed while it was computed
            self._entries[key] = value
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)


answers = Answers()
