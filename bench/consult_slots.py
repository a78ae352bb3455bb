"""Consult slot computation: a 60-day horizon, 3 hosts, 500 existing bookings; median time.

    python scripts/testenv.py --no-browser python bench/consult_slots.py

Needs DATABASE_URL (PostgreSQL; testenv.py provides a throwaway one). Builds the data inside
a transaction that is rolled back at the end, then times, over --runs runs after a warm-up:

* "with queries": ``consults.selectors.slot_list`` for the whole horizon, first free across
  the hosts, as the booking page calls it (its five queries included);
* "computation only": the same from calendars already loaded (``consults.slots``).

Goal: a median of 20 ms or less (cal.com's users report about 90 ms for a similar month).
Prints the wall-clock medians, this process's CPU time per run (the steadier figure when
other programs share the machine; PostgreSQL's own work is not in it) and the slots found;
not a pass/fail test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings")

HOSTS = 3
BOOKINGS = 500
HORIZON_DAYS = 60
ZONES = ["America/New_York", "Europe/London", "America/Los_Angeles"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench: DATABASE_URL must point at PostgreSQL; run it through scripts/testenv.py")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", "--noinput", "-v0")
    with transaction.atomic():
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        hosts = _seed(now)
        _measure(hosts, now, args.runs)
        transaction.set_rollback(True)


def _seed(now: datetime) -> list[int]:
    from consults.models import Booking, ConsultHost, WeeklyHours
    from practice.accounts.models import TherapistProfile, User

    rng = random.Random(9)
    hosts = []
    for n, zone in enumerate(ZONES[:HOSTS]):
        user = User.objects.create_user(email=f"bench-host-{n}@example.com", password=None)
        profile = TherapistProfile.objects.create(
            user=user, slug=f"bench-host-{n}", display_name=f"Host {n}", time_zone=zone
        )
        host = ConsultHost.objects.create(
            therapist=profile,
            buffer_after_minutes=5,
            minimum_notice_minutes=12 * 60,
            horizon_days=HORIZON_DAYS,
            daily_cap=16,
        )
        WeeklyHours.objects.bulk_create(
            WeeklyHours(host=host, weekday=day, starts=starts, ends=ends)
            for day in range(5)
            for starts, ends in ((clock(9), clock(12)), (clock(13), clock(17)))
        )
        hosts.append(host)
    taken: set[tuple[int, datetime]] = set()
    rows: list[Booking] = []
    while len(rows) < BOOKINGS:
        host = rng.choice(hosts)
        day = (now + timedelta(days=rng.randrange(1, HORIZON_DAYS))).astimezone(host.zone).date()
        if day.weekday() > 4:
            continue
        hour = rng.choice([9, 10, 11, 13, 14, 15, 16])
        starts = datetime.combine(day, clock(hour, rng.choice([0, 30])), tzinfo=host.zone)
        if (host.pk, starts) in taken:
            continue
        taken.add((host.pk, starts))
        ends = starts + timedelta(minutes=15)
        rows.append(
            Booking(
                host=host, starts_at=starts, ends_at=ends, blocked_from=starts,
                blocked_until=ends + timedelta(minutes=5), host_date=day, name="Bench",
                email=f"bench{len(rows)}@example.com", phone=f"+1202555{len(rows):04}",
                concern="balance", time_zone="America/New_York", consented_at=now,
            )
        )  # fmt: skip
    Booking.objects.bulk_create(rows)
    return [host.pk for host in hosts]


def _measure(host_ids: list[int], now: datetime, runs: int) -> None:
    from consults.models import ConsultHost
    from consults.selectors import calendars_load, slot_list
    from consults.slots import host_slots

    end = now + timedelta(days=HORIZON_DAYS + 1)
    hosts = list(ConsultHost.objects.filter(pk__in=host_ids).select_related("therapist"))
    calendars = list(calendars_load(hosts=hosts, start=now, end=end).values())

    def with_queries() -> int:
        return len(slot_list(start=now, end=end, now=now).slots)

    def computation_only() -> int:
        return sum(len(host_slots(c, start=now, end=end, now=now)) for c in calendars)

    print(f"consult slots: {HOSTS} hosts, {BOOKINGS} bookings, {HORIZON_DAYS}-day horizon")
    for name, run in (("with queries", with_queries), ("computation only", computation_only)):
        found = run()  # warm-up
        times, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            run()
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        print(
            f"  {name:17} median {statistics.median(times):6.1f} ms   "
            f"(min {min(times):.1f}, max {max(times):.1f}, {runs} runs; {found} slots)   "
            f"cpu median {statistics.median(cpu):.1f} ms"
        )
    load = os.getloadavg()[0]
    print(f"  goal: median 20 ms or less. {os.cpu_count()} cores, load average {load:.1f}")
    print("  (cpu: this process only; a busy machine stretches the wall-clock figures)")


if __name__ == "__main__":
    main()
