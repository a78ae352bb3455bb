"""Which days of a program are prescribed, and how many sessions each: ``ProgramDay`` rows.

The rule (documented in README, "Adherence"):

- an exercise is due on a day of the program when its dose says so: on its chosen weekdays
  (``weekdays``, ISO numbers), or every day when it is done 7 days a week; an exercise done
  "N days a week, any days" spreads N/7 of its sessions over each day;
- an exercise with ``weeks`` set is due only in the program's first ``weeks`` weeks;
- a day prescribes as many sessions as the most frequent exercise due that day asks
  (``times_per_day``): a twice-a-day stretch in a once-a-day program makes two sessions;
- a paused program prescribes nothing from the day it is paused until it is resumed.

Days before the patient's today are history: they are written once and never recomputed, so
a revision or a pause changes only today and the days ahead.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from exercises.models import Program, ProgramDay, ProgramItem
from exercises.monitor_version import monitor_changed
from practice.accounts.models import PatientProfile
from practice.core.selectors import practice_zone

CENT = Decimal("0.01")


def patient_zone(*, patient_id: int) -> ZoneInfo:
    """Her time zone from her profile; the practice's when she has no profile."""
    name = PatientProfile.objects.filter(user_id=patient_id).values_list("time_zone", flat=True)
    found = name.first()
    return ZoneInfo(found) if found else practice_zone()


def patient_today(*, patient_id: int) -> date:
    """Her local calendar day now."""
    return timezone.now().astimezone(patient_zone(patient_id=patient_id)).date()


def sessions_due(*, items: list[ProgramItem], start: date, day: date) -> Decimal:
    """Sessions prescribed on ``day`` of a program starting on ``start`` (see the module)."""
    most = Decimal(0)
    for item in items:
        if item.weeks and day >= start + timedelta(weeks=item.weeks):
            continue
        if item.weekdays:
            due = Decimal(item.times_per_day) if day.isoweekday() in item.weekdays else Decimal(0)
        else:
            days = min(max(item.days_per_week, 0), 7)
            due = (Decimal(item.times_per_day) * days / 7).quantize(CENT, ROUND_HALF_UP)
        most = max(most, due)
    return most


def program_days_sync(*, program_id: int) -> int:
    """Write the program's ``ProgramDay`` rows from today on (and any missing past row).

    Returns how many days were written. Rows past a shortened end keep only what was done.
    """
    with transaction.atomic():
        program = Program.objects.select_for_update().filter(pk=program_id).first()
        if program is None:
            return 0
        items = list(program.items.all())
        today = patient_today(patient_id=program.patient_id)
        existing = set(program.days.values_list("day", flat=True))
        rows = []
        day = program.start_date
        while day <= program.end_date:
            if day >= today or day not in existing:
                prescribed = sessions_due(items=items, start=program.start_date, day=day)
                if program.paused_at is not None and day >= today:
                    prescribed = Decimal(0)
                rows.append(
                    ProgramDay(
                        program=program, patient_id=program.patient_id, day=day,
                        prescribed=prescribed,
                    )
                )  # fmt: skip
            day += timedelta(days=1)
        ProgramDay.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["program", "day"],
            update_fields=["prescribed"],
            batch_size=500,
        )
        outside = program.days.filter(day__gte=today).exclude(
            day__gte=program.start_date, day__lte=program.end_date
        )
        outside.filter(done=0).delete()
        outside.update(prescribed=0)
        monitor_changed(patient_id=program.patient_id)
        return len(rows)
