"""Scheduled jobs run once when due, never early, never when cancelled, and survive failures."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from practice.scheduling.claim import RETRY_MAX
from practice.scheduling.models import Job
from practice.scheduling.registry import UnknownJobKind
from practice.scheduling.services import job_cancel, job_schedule, jobs_retry, jobs_run_due
from tests.scheduling.conftest import Recorder

pytestmark = pytest.mark.django_db(transaction=True)

NEW_YORK = ZoneInfo("America/New_York")


def schedule(name: str, due_at: datetime) -> Job:
    return job_schedule(
        kind="tests.record", key=f"tests:{name}", due_at=due_at, payload={"name": name}
    )


def test_due_jobs_run_once_and_future_jobs_wait(jobs: Recorder) -> None:
    now = timezone.now()
    schedule("yesterday", now - timedelta(days=1))
    schedule("just-now", now - timedelta(seconds=1))
    schedule("tomorrow", now + timedelta(days=1))

    assert jobs_run_due() == 2
    assert jobs_run_due() == 0
    assert jobs.done == ["yesterday", "just-now"]
    assert Job.objects.get(key="tests:tomorrow").done_at is None

    with time_machine.travel(now + timedelta(days=1, seconds=1), tick=False):
        jobs_run_due()
    assert jobs.done == ["yesterday", "just-now", "tomorrow"]


def test_scheduling_again_moves_a_pending_job_but_never_repeats_a_done_one(jobs: Recorder) -> None:
    now = timezone.now()
    schedule("moved", now + timedelta(hours=1))
    schedule("moved", now - timedelta(minutes=1))
    schedule("ran", now - timedelta(minutes=1))

    jobs_run_due()
    schedule("ran", now - timedelta(minutes=1))
    jobs_run_due()

    assert sorted(jobs.done) == ["moved", "ran"]
    assert Job.objects.filter(key__in=["tests:moved", "tests:ran"]).count() == 2


def test_cancelled_jobs_never_run(jobs: Recorder) -> None:
    now = timezone.now()
    schedule("cancelled", now + timedelta(minutes=5))
    schedule("kept", now + timedelta(minutes=5))

    assert job_cancel(key="tests:cancelled") is True
    assert job_cancel(key="tests:cancelled") is False
    assert job_cancel(key="tests:never-scheduled") is False
    with time_machine.travel(now + timedelta(minutes=6), tick=False):
        jobs_run_due()

    assert jobs.done == ["kept"]
    assert job_cancel(key="tests:kept") is False, "a job that ran can no longer be cancelled"


def test_scheduling_a_cancelled_job_again_brings_it_back(jobs: Recorder) -> None:
    now = timezone.now()
    schedule("campaign", now + timedelta(hours=1))
    job_cancel(key="tests:campaign")
    schedule("campaign", now - timedelta(seconds=1))

    jobs_run_due()

    assert jobs.done == ["campaign"]


def test_a_failing_job_does_not_block_the_others_and_is_retried_later(jobs: Recorder) -> None:
    now = timezone.now()
    for name in ["first", "broken", "last"]:
        schedule(name, now - timedelta(minutes=1))
    jobs.broken.add("broken")

    with time_machine.travel(now, tick=False):
        assert jobs_run_due() == 3
    assert jobs.done == ["first", "last"]
    broken = Job.objects.get(key="tests:broken")
    assert broken.done_at is None
    assert broken.attempts == 1
    assert broken.last_error == "RuntimeError: broken is broken"
    assert broken.due_at == now + timedelta(minutes=1)

    with time_machine.travel(now + timedelta(seconds=30), tick=False):
        assert jobs_run_due() == 0
    jobs.broken.clear()
    with time_machine.travel(now + timedelta(minutes=1), tick=False):
        assert jobs_run_due() == 1
    assert jobs.done == ["first", "last", "broken"]


def test_retries_of_a_failing_job_back_off_up_to_an_hour(jobs: Recorder) -> None:
    schedule("broken", timezone.now())
    jobs.broken.add("broken")
    gaps = []
    for _ in range(9):
        job = Job.objects.get(key="tests:broken")
        with time_machine.travel(job.due_at, tick=False):
            jobs_run_due()
        gaps.append(Job.objects.get(key="tests:broken").due_at - job.due_at)

    assert [gap.total_seconds() / 60 for gap in gaps] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert gaps[-1] == RETRY_MAX
    assert Job.objects.get(key="tests:broken").attempts == 9
    assert jobs.done == []


def test_a_job_that_keeps_failing_is_given_up_until_staff_retry_it(
    jobs: Recorder, settings
) -> None:
    settings.SCHEDULING_MAX_ATTEMPTS = 3
    schedule("broken", timezone.now())
    jobs.broken.add("broken")
    for _ in range(3):
        job = Job.objects.get(key="tests:broken")
        with time_machine.travel(job.due_at, tick=False):
            assert jobs_run_due() == 1

    job = Job.objects.get(key="tests:broken")
    assert (job.attempts, job.state) == (3, "gave up")
    with time_machine.travel(job.due_at + timedelta(days=1), tick=False):
        assert jobs_run_due() == 0

    jobs.broken.clear()
    assert jobs_retry(job_ids=[job.pk]) == 1
    assert jobs_run_due() == 1
    assert jobs.done == ["broken"]
    assert Job.objects.get(key="tests:broken").state == "done"


def test_a_job_of_an_unknown_kind_is_recorded_as_an_error(jobs: Recorder) -> None:
    now = timezone.now()
    with pytest.raises(UnknownJobKind):
        job_schedule(kind="tests.typo", key="tests:typo", due_at=now, payload={})
    # A handler removed from the code after its jobs were scheduled.
    Job.objects.create(kind="tests.removed", key="tests:orphan", due_at=now - timedelta(seconds=1))
    schedule("fine", now - timedelta(seconds=1))

    assert jobs_run_due() == 2

    assert jobs.done == ["fine"]
    orphan = Job.objects.get(key="tests:orphan")
    assert orphan.done_at is None
    assert "No handler is registered for job kind 'tests.removed'" in orphan.last_error


def test_due_times_must_say_their_time_zone() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        job_schedule(
            kind="tests.record", key="tests:naive", due_at=datetime(2025, 3, 9, 9), payload={}
        )


def test_a_local_time_after_the_spring_dst_change_runs_at_the_right_moment(jobs: Recorder) -> None:
    """On 9 March 2025 New York moves from UTC-5 to UTC-4: 9:00 that day is 13:00 UTC."""
    schedule("before-change", datetime(2025, 3, 8, 9, 0, tzinfo=NEW_YORK))
    schedule("after-change", datetime(2025, 3, 9, 9, 0, tzinfo=NEW_YORK))
    assert Job.objects.get(key="tests:after-change").due_at == datetime(
        2025, 3, 9, 13, 0, tzinfo=UTC
    )

    with time_machine.travel(datetime(2025, 3, 9, 12, 59, 59, tzinfo=UTC), tick=False):
        jobs_run_due()
    assert jobs.done == ["before-change"]
    with time_machine.travel(datetime(2025, 3, 9, 13, 0, 0, tzinfo=UTC), tick=False):
        jobs_run_due()
    assert jobs.done == ["before-change", "after-change"]


def test_the_repeated_hour_of_the_autumn_dst_change_runs_each_job_once(jobs: Recorder) -> None:
    """On 2 November 2025 New York's clocks show 1:30 twice: first in EDT, then in EST."""
    schedule("first-1:30", datetime(2025, 11, 2, 1, 30, tzinfo=NEW_YORK))
    schedule("second-1:30", datetime(2025, 11, 2, 1, 30, fold=1, tzinfo=NEW_YORK))

    with time_machine.travel(datetime(2025, 11, 2, 5, 31, tzinfo=UTC), tick=False):
        jobs_run_due()
    assert jobs.done == ["first-1:30"]
    with time_machine.travel(datetime(2025, 11, 2, 6, 31, tzinfo=UTC), tick=False):
        jobs_run_due()
    assert jobs.done == ["first-1:30", "second-1:30"]
