"""Scanners in separate threads, each with its own database connection, never share a job;
a scanner that dies mid-claim leaves its jobs for the next one."""

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from practice.scheduling.models import Job
from practice.scheduling.services import job_schedule, jobs_run_due
from tests.scheduling.conftest import Recorder

pytestmark = pytest.mark.django_db(transaction=True)


def schedule_many(count: int, prefix: str = "job", **payload: Any) -> list[str]:
    due = timezone.now() - timedelta(seconds=1)
    names = [f"{prefix}-{n:03}" for n in range(count)]
    for name in names:
        job_schedule(
            kind="tests.record", key=f"tests:{name}", due_at=due, payload={"name": name, **payload}
        )
    return names


def in_thread(target: Callable[[], Any], results: dict[str, Any], name: str) -> threading.Thread:
    """Run ``target`` in a thread with its own connection, keeping its result or error."""

    def run() -> None:
        try:
            results[name] = target()
        except Exception as exc:
            results[name] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def test_two_scanners_racing_handle_every_job_exactly_once(jobs: Recorder) -> None:
    names = schedule_many(80)
    jobs.slow = 0.005
    start = threading.Barrier(2)
    results: dict[str, Any] = {}

    def scanner() -> int:
        start.wait(10)
        total = 0
        while claimed := jobs_run_due(batch=4, max_batches=1):
            total += claimed
        return total

    threads = [in_thread(scanner, results, name) for name in ("a", "b")]
    for thread in threads:
        thread.join(60)

    assert Counter(jobs.done) == Counter(names)
    assert results["a"] + results["b"] == 80
    assert not Job.objects.filter(done_at__isnull=True).exists()


def test_a_scanner_skips_the_jobs_another_scanner_holds(jobs: Recorder) -> None:
    held = schedule_many(3, prefix="held", block=True)
    names = schedule_many(7)
    results: dict[str, Any] = {}

    holder = in_thread(lambda: jobs_run_due(batch=3, max_batches=1), results, "holder")
    assert jobs.blocking.wait(10), "the first scanner should be handling its first job"

    assert jobs_run_due() == 7
    assert sorted(jobs.done) == names

    jobs.release.set()
    holder.join(10)
    assert results["holder"] == 3
    assert Counter(jobs.done) == Counter(held + names)


def test_a_scanner_killed_mid_claim_leaves_its_jobs_to_the_next(jobs: Recorder) -> None:
    names = schedule_many(5, block=True)
    results: dict[str, Any] = {}
    backend: dict[str, int] = {}

    def doomed_scanner() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend["pid"] = cursor.fetchone()[0]
        return jobs_run_due()

    doomed = in_thread(doomed_scanner, results, "doomed")
    assert jobs.blocking.wait(10), "the doomed scanner should hold all five jobs"
    assert jobs_run_due() == 0, "held jobs are skipped, not waited for"

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [backend["pid"]])
        assert cursor.fetchone()[0] is True

    jobs.release.set()
    assert jobs_run_due() == 5
    doomed.join(10)

    assert isinstance(results["doomed"], Exception), "the killed scanner cannot commit"
    assert Counter(jobs.done) == Counter(names)
    assert not Job.objects.filter(done_at__isnull=True).exists()
    assert set(Job.objects.values_list("attempts", flat=True)) == {0}
