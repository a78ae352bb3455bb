"""Raising pain flags for the therapist (rules in ``exercises.pain``) and her daily digest.

Each flag is raised once per cause (``PainFlag.key``). A red-flag symptom also emails the
therapist at once; every other flag waits for the daily digest of new flags.
"""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Avg, QuerySet
from django.db.models.functions import TruncWeek
from django.urls import reverse
from django.utils import timezone

from exercises.models import MonitoringSettings, PainFlag, Program, ProgramDay, SessionLog
from exercises.monitor_version import monitor_changed
from exercises.pain import (
    FlagKind,
    MonitoringThresholds,
    RedFlag,
    SessionPain,
    missed_prescribed_days,
    pain_rising,
    session_flags,
)
from practice.accounts.models import PatientProfile, TherapistProfile
from practice.outbox.services import email_queue


def thresholds_for(*, therapist_id: int | None) -> MonitoringThresholds:
    """The therapist's pain-monitoring settings, or the defaults when she has saved none."""
    row = MonitoringSettings.objects.filter(therapist_id=therapist_id).first()
    if row is None:
        return MonitoringThresholds()
    return MonitoringThresholds(
        safe_max=row.safe_max,
        acceptable_max=row.acceptable_max,
        rise_points=float(row.rise_points),
        missed_days=row.missed_days,
    )


def _raise(*, program: Program, kind: str, key: str, detail: str, session: SessionLog | None = None
           ) -> PainFlag | None:  # fmt: skip
    if PainFlag.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            flag = PainFlag.objects.create(
                patient_id=program.patient_id,
                program=program,
                session=session,
                kind=kind,
                key=key,
                detail=detail[:300],
            )
            monitor_changed(patient_id=program.patient_id)
            return flag
    except IntegrityError:  # raised at the same moment by another request
        return None


def _thresholds_of_her_therapist(program: Program) -> MonitoringThresholds:
    """The settings of her therapist now (whose list shows her zones), even on a program a
    former therapist prescribed; the prescriber's when she has no therapist."""
    current = (
        PatientProfile.objects.filter(user_id=program.patient_id)
        .values_list("therapist_id", flat=True)
        .first()
    )
    return thresholds_for(therapist_id=current or program.therapist_id)


def session_flags_raise(*, log: SessionLog) -> list[PainFlag]:
    """Raise the flags one session calls for (its pain, the next morning, the weekly trend)."""
    program = log.program
    thresholds = _thresholds_of_her_therapist(program)
    pain = SessionPain(
        before=log.pain_before,
        after=log.pain_after,
        next_morning=log.pain_next_morning,
        red_flags=tuple(log.red_flags),
        after_48h=log.pain_48h,
    )
    raised = []
    for kind in session_flags(pain, thresholds=thresholds):
        detail = _detail(kind=kind, log=log)
        flag = _raise(program=program, kind=kind, key=f"session:{log.pk}:{kind}", detail=detail,
                      session=log)  # fmt: skip
        if flag is not None:
            raised.append(flag)
    weekly = weekly_mean_pain(program_id=program.pk)
    if pain_rising([mean for _, mean in weekly], thresholds=thresholds):
        week = weekly[-1][0]
        flag = _raise(
            program=program,
            kind=FlagKind.PAIN_RISING,
            key=f"program:{program.pk}:rising:{week:%G-W%V}",
            detail=(f"Weekly mean pain after exercise {weekly[-1][1]:.1f} against "
                    f"{weekly[0][1]:.1f} in the first week"),
        )  # fmt: skip
        if flag is not None:
            raised.append(flag)
    return raised


def _detail(*, kind: str, log: SessionLog) -> str:
    day = f"{log.performed_on:%b %-d}"
    if kind == FlagKind.RED_FLAG:
        names = [RedFlag(code).label for code in log.red_flags if code in RedFlag.values]
        return f"Reported on {day}: {', '.join(names)}. The program is paused."
    if kind == FlagKind.PAIN_HIGH:
        worst = max(log.pain_before, log.pain_after, log.pain_next_morning or 0)
        return f"Pain {worst} of 10 with the session of {day}"
    if kind == FlagKind.NOT_SETTLED_48H:
        return (f"Pain {log.pain_48h} of 10 48 hours after the session of {day}, "
                f"{log.pain_before} before exercising")  # fmt: skip
    return (f"Pain {log.pain_next_morning} of 10 the morning after {day}, "
            f"{log.pain_before} before exercising")  # fmt: skip


def weekly_mean_pain(*, program_id: int) -> list[tuple[date, float]]:
    """Mean pain after exercise per week (weeks starting Monday), oldest first; in SQL."""
    rows = (
        SessionLog.objects.filter(program_id=program_id)
        .annotate(week=TruncWeek("performed_on"))
        .values("week")
        .annotate(mean=Avg("pain_after"))
        .order_by("week")
    )
    return [(row["week"], float(row["mean"])) for row in rows]


def missed_days_raise(*, program: Program, today: date) -> PainFlag | None:
    """Raise "no log on N prescribed days" for a program if it is due (a daily scan calls it)."""
    thresholds = _thresholds_of_her_therapist(program)
    recent = ProgramDay.objects.filter(
        program=program, day__lt=today, day__gte=today - timedelta(days=60)
    ).values_list("day", "prescribed", "done")
    prescribed = [day for day, due, _ in recent if due >= 1]
    logged = [day for day, _, done in recent if done > Decimal(0)]
    missed = missed_prescribed_days(prescribed=prescribed, logged=logged, today=today)
    if missed < thresholds.missed_days:
        return None
    last_logged = max(logged, default=program.start_date)
    return _raise(
        program=program,
        kind=FlagKind.MISSED_DAYS,
        key=f"program:{program.pk}:missed-since:{last_logged}",
        detail=f"No log on the last {missed} prescribed days",
    )


def red_flag_alert(*, log: SessionLog) -> None:
    """Email her therapist at once about a red-flag report (names no symptom: not private):
    her therapist now, who can open her page, even on a program a former one prescribed;
    the prescriber when she has no therapist (someone must be told)."""
    program = log.program
    therapist = (
        TherapistProfile.objects.select_related("user")
        .filter(patients__user_id=program.patient_id)
        .first()
        or program.therapist
    )
    url = reverse("exercises:monitor_patient", kwargs={"patient_id": program.patient_id})
    email_queue(
        to=therapist.user.email,
        template="exercises/red_flag_alert",
        context={
            "therapist": therapist,
            "patient_name": program.patient.get_full_name(),
            "program_title": program.title,
            "url": url,
        },
        idempotency_key=f"exercises:red-flag:{log.pk}",
    )


def flags_new_for_digest(*, therapist: TherapistProfile) -> QuerySet[PainFlag]:
    """Her patients' (now) flags not yet in a digest, whoever prescribed the program: a
    former therapist of a patient is not emailed about her."""
    return PainFlag.objects.filter(
        patient__patient_profile__therapist=therapist,
        digested_at__isnull=True,
        resolved_at__isnull=True,
    ).select_related("patient", "program")


def flag_digest_send(*, therapist_id: int, day: str) -> int:
    """Email one therapist the flags raised since her last digest; returns how many.

    ``day`` (ISO date, the practice's) names the digest: one per therapist and day.
    """
    therapist = TherapistProfile.objects.select_related("user").filter(pk=therapist_id).first()
    if therapist is None or not therapist.user.is_active:
        return 0
    flags = list(flags_new_for_digest(therapist=therapist).order_by("patient_id", "raised_at"))
    if not flags:
        return 0
    by_patient: dict[int, list[PainFlag]] = defaultdict(list)
    for flag in flags:
        by_patient[flag.patient_id].append(flag)
    patients = [
        {
            "name": group[0].patient.get_full_name(),
            "url": reverse("exercises:monitor_patient", kwargs={"patient_id": patient_id}),
            "flags": [flag.get_kind_display() for flag in group],
        }
        for patient_id, group in by_patient.items()
    ]
    email_queue(
        to=therapist.user.email,
        template="exercises/flag_digest",
        context={"therapist": therapist, "patients": patients, "count": len(flags)},
        idempotency_key=f"exercises:flag-digest:{therapist.pk}:{day}",
    )
    PainFlag.objects.filter(pk__in=[f.pk for f in flags]).update(digested_at=timezone.now())
    return len(flags)


def flag_resolve(*, flag: PainFlag, by_user_id: int, at: datetime | None = None) -> None:
    """Mark a flag dealt with."""
    with transaction.atomic():
        updated = PainFlag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
            resolved_at=at or timezone.now(), resolved_by_id=by_user_id
        )
        if updated:
            monitor_changed(patient_id=flag.patient_id)
