"""Demo logs: two weeks of the demo patient's sessions, with one pain flag among them, so
Today, the player and the therapist's view show real content on first run.

Idempotent: each day's log has a fixed key; an existing one is left alone.
"""

from datetime import timedelta
from decimal import Decimal

from django.db.models import F

from exercises.flags import session_flags_raise
from exercises.models import Program, ProgramDay, SessionItemLog, SessionLog
from exercises.schedule import patient_today, program_days_sync

#: days ago -> (pain before, pain after, next morning, exercises skipped, comment)
DAYS: dict[int, tuple[int, int, int | None, int, str]] = {
    14: (2, 3, 2, 0, "Took it slowly. The bridges were fine."),
    13: (2, 3, 2, 0, ""),
    12: (2, 2, 1, 0, ""),
    11: (1, 2, 1, 1, "Short on time, skipped the last one."),
    9: (2, 3, 2, 0, ""),
    8: (1, 2, 1, 0, "Hips feel looser in the morning."),
    7: (1, 2, 1, 0, ""),
    5: (2, 3, 2, 0, ""),
    4: (2, 3, 2, 0, ""),
    3: (3, 6, 3, 0, "Sore hip after gardening, and the clamshells hurt."),
    2: (3, 3, 2, 1, "Went gently today."),
    1: (2, 2, None, 0, "Much better."),
}


def seed_logs(*, program: Program) -> int:
    """Log the demo days of ``program`` that are not logged yet; returns how many."""
    program_days_sync(program_id=program.pk)
    today = patient_today(patient_id=program.patient_id)
    items = list(program.items.select_related("exercise"))
    if not items:
        return 0
    made = 0
    for ago, (before, after, morning, skipped, comment) in DAYS.items():
        day = today - timedelta(days=ago)
        if day < program.start_date:
            continue
        key = f"demo-{program.pk}-{day.isoformat()}"
        if SessionLog.objects.filter(patient_id=program.patient_id, idempotency_key=key).exists():
            continue
        done = len(items) - skipped
        log = SessionLog.objects.create(
            program=program,
            patient_id=program.patient_id,
            performed_on=day,
            idempotency_key=key,
            items_done=done,
            items_total=len(items),
            pain_before=before,
            pain_after=after,
            pain_next_morning=morning,
            rpe=4 if after < 5 else 7,
            comment=comment,
            source=SessionLog.Source.DEMO,
        )
        SessionItemLog.objects.bulk_create(
            SessionItemLog(
                session=log,
                program_item=item,
                exercise_name=item.exercise.name,
                done=n < done,
                feedback=("too_hard" if after > 5 else "about_right") if n < done else "",
            )
            for n, item in enumerate(items)
        )
        share = (Decimal(done) / len(items)).quantize(Decimal("0.01"))
        ProgramDay.objects.filter(program=program, day=day).update(done=F("done") + share)
        session_flags_raise(log=log)
        made += 1
    return made
