"""Where a campaign email's CPU goes: its batches run in this process, step by step.

    python scripts/testenv.py --no-browser python bench/newsletter_batch_costs.py
    python scripts/testenv.py --no-browser python bench/newsletter_batch_costs.py --profile 40

Needs DATABASE_URL (PostgreSQL) and REDIS_URL; testenv.py provides both. Not a pass/fail
test and not a rate: ``newsletter_campaign.py`` measures the campaign through a real worker
against a plain smtplib loop. This one runs the same two tasks' code in one process, so each
step's cost can be told apart (the worker interleaves them in two processes):

* the fan-out (``newsletter.campaign_batch``: the batch's deliveries, her copy with her links,
  the outbox INSERT, the hand-off to the broker), batch after batch until the campaign has
  handed every email to the outbox;
* the delivery (``outbox.deliver_batch``: leases, bytes, the SMTP conversation with an
  aiosmtpd sink in a process of its own, the "sent" marks) of each batch the fan-out queued.

For each it prints the CPU milliseconds per email of this process and of its PostgreSQL
backend (from /proc), and the seconds per email on the clock, after one warm-up round. The
tasks are called as Celery would call them, with production settings (DEBUG off) and the
batch size of ``--batch``; the broker gets the tasks they queue (purged, no worker runs).
``--profile N`` adds a cProfile (CPU time) of each part, its N costliest calls: the
profiler's own cost per call inflates code that makes many small calls, so use it to find
where to look and the figures without it to weigh a change.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.newsletter_campaign import (  # noqa: E402 (after the path is set)
    BODY,
    django_and_sink,
    subscribers_reset,
)

_TICKS = os.sysconf("SC_CLK_TCK")


def backend_cpu() -> Callable[[], float]:
    """A function giving the CPU seconds used so far by this connection's PostgreSQL backend."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")

    def seconds() -> float:
        fields = stat.read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS

    return seconds


class Part:
    """CPU of this process and of its backend, and the clock, while a part runs."""

    def __init__(self, name: str, profile: bool) -> None:
        self.name = name
        self.profiler = cProfile.Profile(time.process_time) if profile else None
        self.cpu = self.backend = self.clock = 0.0

    def run(self, work: Callable[[], object]) -> None:
        backend = backend_cpu()
        started = (time.process_time(), backend(), time.perf_counter())
        if self.profiler is not None:
            self.profiler.enable()
        work()
        if self.profiler is not None:
            self.profiler.disable()
        self.cpu = time.process_time() - started[0]
        self.backend = backend() - started[1]
        self.clock = time.perf_counter() - started[2]


def campaign_round(size: int, profile: bool) -> tuple[Part, Part]:
    """One campaign to ``size`` subscribers: its fan-out, then the delivery of its batches."""
    from newsletter import campaign_tasks
    from newsletter.campaigns import campaign_create, campaign_send
    from newsletter.models import Campaign
    from practice.celery import app
    from practice.outbox import tasks as outbox_tasks

    batches: list[list[int]] = []
    queue_batch = outbox_tasks.deliver_batch.delay

    def queued(message_ids: list[int]) -> object:
        batches.append(message_ids)
        return queue_batch(message_ids)

    subscribers_reset(size)
    campaign = campaign_create(subject="Three small habits", preheader="Start today", body=BODY)
    campaign_send(campaign=campaign)
    app.control.purge()
    sending = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.SENDING)

    def fan_out() -> None:
        while sending.exists():
            campaign_tasks.campaign_batch.run(campaign.pk)

    def deliver() -> None:
        for message_ids in batches:
            outbox_tasks.deliver_batch.run(message_ids)

    outbox_tasks.deliver_batch.delay = queued  # type: ignore[method-assign,assignment]
    try:
        fan_out_part, delivery_part = Part("fan-out", profile), Part("delivery", profile)
        fan_out_part.run(fan_out)
        delivery_part.run(deliver)
    finally:
        outbox_tasks.deliver_batch.delay = queue_batch  # type: ignore[method-assign]
        app.control.purge()
    return fan_out_part, delivery_part


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=4000, help="subscribers")
    parser.add_argument("--batch", type=int, default=200, help="NEWSLETTER_BATCH_SIZE")
    parser.add_argument("--rounds", type=int, default=2, help="measured rounds after a warm-up")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest calls")
    args = parser.parse_args()

    with django_and_sink(args.batch):
        print(
            f"{args.size} subscribers, batches of {args.batch}; load average "
            + " ".join(f"{load:.1f}" for load in os.getloadavg())
        )
        print(
            f"{'round':>6} {'part':>9} {'CPU ms/email':>13} {'PostgreSQL ms':>14} {'clock ms':>9}"
        )
        campaign_round(args.size, profile=False)  # warm-up: caches, the first connection
        for number in range(1, args.rounds + 1):
            parts = campaign_round(args.size, profile=False)
            for part in parts:
                each = 1000 / args.size
                print(
                    f"{number:>6} {part.name:>9} {part.cpu * each:>13.3f} "
                    f"{part.backend * each:>14.3f} {part.clock * each:>9.3f}",
                    flush=True,
                )
        if args.profile:
            for part in campaign_round(args.size, profile=True):
                assert part.profiler is not None
                out = io.StringIO()
                stats = pstats.Stats(part.profiler, stream=out)
                stats.sort_stats("cumulative").print_stats(args.profile)
                print(
                    f"===== {part.name} (cProfile, CPU time, inflated per call)\n{out.getvalue()}"
                )


if __name__ == "__main__":
    main()
