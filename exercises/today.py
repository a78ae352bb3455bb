"""The patient's reads: her programs for Today, one program of hers, her recent sessions.

Every read is scoped to the patient who asks; another patient's program is ``Http404``.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from exercises.models import Program, ProgramDay, ProgramItem, SessionLog
from practice.accounts.models import User


@dataclass
class ProgramToday:
    """One of her programs as Today shows it."""

    program: Program
    state: str  # "active", "upcoming", "paused"
    due: Decimal = Decimal(0)
    done: Decimal = Decimal(0)
    logs_today: list[SessionLog] = field(default_factory=list)

    @property
    def sessions_due(self) -> int:
        """Whole sessions due today (a fraction of a flexible program rounds up to one)."""
        return int(-(-self.due // 1)) if self.due else 0

    @property
    def sessions_left(self) -> int:
        return max(0, self.sessions_due - len(self.logs_today))


def _items() -> Prefetch:
    return Prefetch(
        "items",
        queryset=ProgramItem.objects.select_related("exercise").prefetch_related(
            "exercise__images"
        ),
    )


def patient_programs(*, patient: User) -> QuerySet[Program]:
    return Program.objects.filter(patient=patient).select_related("therapist")


def today_programs(*, patient: User, today: date) -> list[ProgramToday]:
    """Her programs running today or starting later, with today's sessions due and logged."""
    programs = list(
        patient_programs(patient=patient)
        .filter(end_date__gte=today)
        .prefetch_related(_items())
        .order_by("start_date", "pk")
    )
    days = {
        row.program_id: row for row in ProgramDay.objects.filter(program__in=programs, day=today)
    }
    logs: dict[int, list[SessionLog]] = {}
    for log in SessionLog.objects.filter(patient=patient, performed_on=today).order_by("logged_at"):
        logs.setdefault(log.program_id, []).append(log)
    result = []
    for program in programs:
        if program.paused_at is not None:
            state = "paused"
        elif program.start_date > today:
            state = "upcoming"
        else:
            state = "active"
        day = days.get(program.pk)
        result.append(
            ProgramToday(
                program=program,
                state=state,
                due=day.prescribed if day else Decimal(0),
                done=day.done if day else Decimal(0),
                logs_today=logs.get(program.pk, []),
            )
        )
    return result


def patient_program_get(*, patient: User, program_id: int) -> Program:
    """One of her programs with its items and exercises; anyone else's raises ``Http404``."""
    program = patient_programs(patient=patient).prefetch_related(_items()).filter(pk=program_id)
    found = program.first()
    if found is None:
        raise Http404("No such program.")
    return found


def patient_recent_logs(*, patient: User, program: Program, limit: int = 10) -> list[SessionLog]:
    return list(SessionLog.objects.filter(patient=patient, program=program)[:limit])


def past_programs(*, patient: User, today: date) -> list[Program]:
    return list(patient_programs(patient=patient).filter(end_date__lt=today)[:10])


def patient_log_get(*, patient: User, log_id: int) -> SessionLog:
    """One of her logged sessions; anyone else's raises ``Http404``."""
    log = SessionLog.objects.filter(pk=log_id, patient=patient).first()
    if log is None:
        raise Http404("No such session.")
    return log
