"""A newsletter campaign through a real Celery worker, as a ratio of a plain smtplib loop.

    python scripts/testenv.py --no-browser python bench/newsletter_campaign.py
    python scripts/testenv.py --no-browser python bench/newsletter_campaign.py --sizes 2500 10000

Needs DATABASE_URL (PostgreSQL) and REDIS_URL; testenv.py provides both. Not a pass/fail
test: it prints one row per list size.

What is measured:

* The sink is aiosmtpd's own ``Sink`` handler (accepts and drops every message) in a
  process of its own, on a loopback port. Both senders talk to it.
* The campaign: N active subscribers; ``campaign_send`` is called and the clock runs until
  the outbox has marked all N emails sent (the last ``sent_at``, so how often the bench
  looks does not count). That covers everything the product does: the
  INSERT ... SELECT of the deliveries, rendering each batch, the per-recipient links and
  RFC 8058 headers, the outbox rows, the leases, the SMTP conversation (the outbox's batch
  path, one connection per batch) and every "sent" mark. The worker is a real
  ``celery -A practice worker`` (prefork, ``--concurrency``, production settings: DEBUG
  off) with no rate limit (NEWSLETTER_RATE_PER_MINUTE=0), so its speed is what is measured.
* The baseline: the same N emails, read back from the outbox and built into bytes before
  the clock starts, sent by a plain ``smtplib`` loop over one connection, in this run, to
  the same sink. The figure is campaign messages/second divided by the loop's.
* CPU per email, the steadier figure on a shared machine: the CPU seconds used while the
  campaign ran by the worker's processes, the sink and PostgreSQL (the postmaster and its
  children, those that ended included), divided by N; for the loop, the bench process,
  the sink and PostgreSQL during the loop. "cpu ratio" is the loop's CPU per email divided
  by the campaign's (1.0: the campaign costs the machine no more per email than the loop).
* Memory: the peak resident set (VmHWM from /proc) of the worker's processes, read before
  the worker stops; a worker is started afresh for each list size, so flat figures across
  sizes mean memory does not grow with the list.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    sys.exit(f"bench: nothing answers on port {port}")


def configure(sink_port: int, batch: int) -> None:
    """Production's settings for this process and the worker (DEBUG off keeps Django from
    recording every query), no rate limit, mail to the sink."""
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench: DATABASE_URL must point at PostgreSQL; run it through scripts/testenv.py")
    os.environ.pop("TESTING", None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="practice.settings",
        DEBUG="off",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="https://practice.example",
        SECURE_SSL_REDIRECT="off",
        EMAIL_URL=f"smtp://127.0.0.1:{sink_port}",
        NEWSLETTER_RATE_PER_MINUTE="0",
        NEWSLETTER_BATCH_SIZE=str(batch),
    )


def peak_rss_mb(pid: int) -> list[float]:
    """VmHWM (peak resident set) of a process and its children, in MB."""
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(child) for child in children.read_text().split()]
    peaks = []
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return peaks


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) of a process, of its children that ended and were
    waited for, and of its live children."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    total = sum(int(tick) for tick in fields[11:15]) / _TICKS  # utime stime cutime cstime
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else ():
        with suppress(FileNotFoundError, ProcessLookupError):
            stat = Path(f"/proc/{child}/stat").read_text().rpartition(")")[2].split()
            total += (int(stat[11]) + int(stat[12])) / _TICKS
    return total


def postmaster_pid() -> int:
    """PostgreSQL's main process: the parent of this connection's backend."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    return int(Path(f"/proc/{backend}/stat").read_text().rpartition(")")[2].split()[1])


def start_worker(concurrency: int) -> subprocess.Popen[bytes]:
    from practice.celery import app

    app.control.purge()
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "practice", "worker"),
            *("--pool=prefork", f"--concurrency={concurrency}", "--loglevel=WARNING"),
            *("--without-gossip", "--without-mingle", "--without-heartbeat"),
        ],
        cwd=ROOT,
    )
    deadline = time.monotonic() + 120
    while not app.control.ping(timeout=1):
        if worker.poll() is not None or time.monotonic() > deadline:
            sys.exit("bench: the Celery worker did not start")
    return worker


def subscribers_reset(size: int) -> None:
    from newsletter.models import Campaign, Subscriber
    from practice.outbox.models import OutboxMessage

    Campaign.objects.all().delete()
    OutboxMessage.objects.all().delete()
    Subscriber.objects.all().delete()
    Subscriber.objects.bulk_create(
        (
            Subscriber(email=f"reader{n}@example.com", first_name=f"Reader {n}", status="active")
            for n in range(size)
        ),
        batch_size=2000,
    )


BODY = """## Three small habits for stronger bones

Bones respond to **load**: a brisk walk, a few heel drops at the kitchen counter, and
climbing the stairs instead of taking the lift all tell them to stay strong.

- Walk 20 minutes most days
- Ten heel drops while the kettle boils
- Protein and calcium at every meal

[Read more on our website](https://practice.example/articles/)
"""


def campaign_run(
    size: int, concurrency: int, others: list[int]
) -> tuple[float, float, list[float]]:
    """Seconds from "send" to every email marked sent, the CPU seconds of the worker and
    of the ``others`` processes meanwhile, and the worker's peak memory."""
    from django.db.models import Max
    from django.utils import timezone

    from newsletter.campaigns import campaign_create, campaign_send
    from practice.outbox.models import OutboxMessage

    worker = start_worker(concurrency)
    try:
        campaign = campaign_create(
            subject="Three small habits for stronger bones", preheader="Start today", body=BODY
        )
        cpu_before = cpu_seconds(worker.pid) + sum(cpu_seconds(pid) for pid in others)
        started = timezone.now()
        campaign_send(campaign=campaign)
        sent = 0
        while sent < size:
            time.sleep(0.5)  # only to see that it is over: the time comes from the rows
            sent = OutboxMessage.objects.filter(status="sent").count()
            if worker.poll() is not None:
                sys.exit("bench: the worker stopped")
        # The campaign ended when its last email was marked sent (the worker's clock is
        # this machine's), however late this loop looked.
        finished = OutboxMessage.objects.aggregate(last=Max("sent_at"))["last"]
        elapsed = (finished - started).total_seconds()
        cpu = cpu_seconds(worker.pid) + sum(cpu_seconds(pid) for pid in others) - cpu_before
        memory = peak_rss_mb(worker.pid)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(60)
    return elapsed, cpu, memory


def loop_run(sink_port: int, others: list[int]) -> tuple[float, float, int]:
    """Seconds for a plain smtplib loop to send the campaign's emails over one connection,
    and the CPU seconds of this process and the ``others`` meanwhile."""
    from practice.outbox.delivery import message_email
    from practice.outbox.models import OutboxMessage

    emails = []
    for message in OutboxMessage.objects.order_by("pk").iterator():
        email = message_email(message)
        # As Django's SMTP backend does (its MIME classes take linesep; the stubs do not know).
        raw = email.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
        emails.append((email.from_email, message.to, raw))
    cpu_before = time.process_time() + sum(cpu_seconds(pid) for pid in others)
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", sink_port) as smtp:
        for sender, to, raw in emails:
            smtp.sendmail(sender, [to], raw)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() + sum(cpu_seconds(pid) for pid in others) - cpu_before
    return elapsed, cpu, len(emails)


@contextmanager
def django_and_sink(batch: int) -> Iterator[tuple[int, int]]:
    """Django set up for the bench (``configure``), its database migrated and the URL resolver
    built (as the worker does before forking), and an aiosmtpd sink running on a free port;
    yields the sink's port and process id, and stops the sink afterwards."""
    sink_port = free_port()
    configure(sink_port, batch)
    import django

    django.setup()
    from django.core.management import call_command
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    reverse("newsletter:unsubscribe", kwargs={"token": "-"})
    sink = subprocess.Popen(
        [
            *(sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{sink_port}"),
            *("-c", "aiosmtpd.handlers.Sink"),
        ]
    )
    try:
        wait_for_port(sink_port)
        yield sink_port, sink.pid
    finally:
        sink.terminate()
        sink.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2500, 10000])
    parser.add_argument("--concurrency", type=int, default=2, help="worker processes")
    parser.add_argument("--batch", type=int, default=200, help="NEWSLETTER_BATCH_SIZE")
    args = parser.parse_args()

    with django_and_sink(args.batch) as (sink_port, sink_pid):
        print(
            "rate limit lifted for this run: NEWSLETTER_RATE_PER_MINUTE=0 (the default, 600 "
            f"a minute, would hold 10,000 emails to 17 minutes); batches of {args.batch}, "
            f"{args.concurrency} worker processes; load average "
            + " ".join(f"{load:.1f}" for load in os.getloadavg())
        )
        print(
            f"{'recipients':>10} {'campaign msg/s':>15} {'smtplib loop msg/s':>19} "
            f"{'ratio':>6} {'CPU ms/email campaign / loop':>29} {'cpu ratio':>9} "
            f"{'worker peak MB (per process)':>30}"
        )
        others = [sink_pid, postmaster_pid()]
        for size in args.sizes:
            subscribers_reset(size)
            campaign_seconds, campaign_cpu, memory = campaign_run(size, args.concurrency, others)
            loop_seconds, loop_cpu, sent = loop_run(sink_port, others)
            assert sent == size, f"{sent} emails in the outbox for {size} recipients"
            campaign_rate, loop_rate = size / campaign_seconds, size / loop_seconds
            peaks = " / ".join(f"{mb:.0f}" for mb in memory)
            cpu_each = f"{campaign_cpu / size * 1000:.2f} / {loop_cpu / size * 1000:.2f}"
            print(
                f"{size:>10} {campaign_rate:>15.0f} {loop_rate:>19.0f} "
                f"{campaign_rate / loop_rate:>5.2f}x {cpu_each:>29} "
                f"{loop_cpu / campaign_cpu:>8.2f}x {peaks:>30}",
                flush=True,
            )


if __name__ == "__main__":
    main()
