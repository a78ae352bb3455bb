"""Claim due rows exactly once: the core of every beat-driven scanner.

Scanners may run at the same time (two beats, a slow run overlapping the next) and a
worker may die mid-claim: rows are locked with ``SKIP LOCKED`` so each is handled by one
scanner, and the done mark commits in the same transaction as the handler's writes, so a
dead worker's claims roll back and the next scan takes them.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

logger = logging.getLogger(__name__)

RETRY_BASE = timedelta(minutes=1)
RETRY_MAX = timedelta(hours=1)

Row = TypeVar("Row", bound=models.Model)


def claim_due(
    queryset: "models.QuerySet[Row]",
    *,
    now: datetime,
    handle: Callable[[Row], Any],
    due_field: str = "due_at",
    done_field: str = "done_at",
    limit: int = 100,
) -> int:
    """Handle up to ``limit`` due, not-done rows of ``queryset``; return how many were claimed.

    Each row's handler runs in a savepoint together with its done mark. A row whose handler
    raises is not done: its ``attempts`` and ``last_error`` fields (the model must have them)
    are updated and its due time moves back by a capped, doubling delay. Handlers put side
    effects outside the database (emails, tasks) on commit, so they happen once.
    """
    with transaction.atomic():
        rows = list(
            queryset.filter(**{f"{due_field}__lte": now, f"{done_field}__isnull": True})
            .select_for_update(skip_locked=True, of=("self",))
            .order_by(due_field, "pk")[:limit]
        )
        for row in rows:
            attempts = getattr(row, "attempts", 0) + 1
            try:
                with transaction.atomic():
                    handle(row)
                    setattr(row, done_field, timezone.now())
                    row.save(update_fields=[done_field])
            except Exception as exc:
                logger.exception("Due work %s failed (attempt %d)", row, attempts)
                delay = min(RETRY_MAX, RETRY_BASE * 2 ** (attempts - 1))
                type(row)._default_manager.filter(pk=row.pk).update(
                    attempts=F("attempts") + 1,
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                    **{due_field: timezone.now() + delay},
                )
    return len(rows)
