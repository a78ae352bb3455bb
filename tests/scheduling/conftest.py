"""Job handlers for the scheduling tests. Each records the job's name on commit, so only
work whose transaction committed counts as done."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from django.db import transaction

from practice.scheduling.registry import job_handler


@dataclass
class Recorder:
    done: list[str] = field(default_factory=list)
    #: Names whose handler raises, as if it had a bug or its mail server were down.
    broken: set[str] = field(default_factory=set)
    #: Set by the first handler that is told to block; it then waits for ``release``.
    blocking: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    slow: float = 0.0


recorder = Recorder()


@job_handler("tests.record")
def record(*, name: str, block: bool = False) -> None:
    if name in recorder.broken:
        raise RuntimeError(f"{name} is broken")
    if block:
        recorder.blocking.set()
        recorder.release.wait(20)
    if recorder.slow:
        threading.Event().wait(recorder.slow)
    transaction.on_commit(lambda: recorder.done.append(name))


@pytest.fixture
def jobs() -> Iterator[Recorder]:
    global recorder
    recorder = Recorder()
    yield recorder
    recorder.release.set()
