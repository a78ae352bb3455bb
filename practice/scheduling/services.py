from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from practice.scheduling.claim import claim_due
from practice.scheduling.models import Job
from practice.scheduling.registry import handler_for


def job_schedule(*, kind: str, key: str, due_at: datetime, payload: dict[str, Any]) -> Job:
    """Schedule the job named ``key``, once.

    Scheduling a pending (or cancelled) job again moves it to the new time and payload;
    a job that has already run is returned as it is and does not run again.
    """
    if timezone.is_naive(due_at):
        raise ValueError("due_at must be timezone-aware.")
    handler_for(kind)
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(key=key).first()
        if job is None:
            try:
                with transaction.atomic():
                    return Job.objects.create(kind=kind, key=key, due_at=due_at, payload=payload)
            except IntegrityError:
                job = Job.objects.select_for_update().get(key=key)
        if job.done_at is not None:
            return job
        job.kind, job.due_at, job.payload = kind, due_at, payload
        job.cancelled_at, job.attempts, job.last_error = None, 0, ""
        job.save(
            update_fields=["kind", "due_at", "payload", "cancelled_at", "attempts", "last_error"]
        )
    return job


def job_cancel(*, key: str) -> bool:
    """Cancel the pending job named ``key``; False when there is none (or it already ran)."""
    pending = Job.objects.filter(key=key, done_at__isnull=True, cancelled_at__isnull=True)
    return pending.update(cancelled_at=timezone.now()) > 0


def jobs_run_due(*, batch: int = 100, max_batches: int = 20) -> int:
    """Run every due job (up to ``batch * max_batches`` per call); return how many were tried."""
    total = 0
    for _ in range(max_batches):
        claimed = claim_due(
            Job.objects.filter(
                cancelled_at__isnull=True, attempts__lt=settings.SCHEDULING_MAX_ATTEMPTS
            ),
            now=timezone.now(),
            handle=_run,
            limit=batch,
        )
        total += claimed
        if claimed < batch:
            break
    return total


def jobs_retry(*, job_ids: Iterable[int]) -> int:
    """Make failing or given-up jobs due now with a fresh set of attempts; returns how many."""
    return Job.objects.filter(
        pk__in=list(job_ids), done_at__isnull=True, cancelled_at__isnull=True, attempts__gt=0
    ).update(attempts=0, due_at=timezone.now())


def _run(job: Job) -> None:
    handler_for(job.kind)(**job.payload)
