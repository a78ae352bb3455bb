"""Logging a home session, and the next morning's pain: the patient's writes.

A session is logged once per idempotency key (a double submit, a retried API call, the
player and the form racing each other: one session). Logging is refused, with a message
that says why, for a program not started yet, ended, or paused. A red-flag symptom (a new
sudden back pain, a fall, losing height) pauses all her programs not ended yet at once and
emails the therapist (CLINICAL.md rule 8: it may be a vertebral fracture).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.dateformat import format as date_format

from exercises.flags import red_flag_alert, session_flags_raise
from exercises.models import Program, ProgramDay, RpeScale, SessionItemLog, SessionLog
from exercises.monitor_version import monitor_changed
from exercises.pain import PAIN_MAX, PAIN_MIN, RedFlag
from exercises.reminders import program_days_refresh_on_commit
from exercises.schedule import patient_today, patient_zone
from practice.accounts.models import PatientProfile, TherapistProfile, User
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record

#: How long after a session she is still asked for its next-morning pain.
NEXT_MORNING_DAYS = 2
#: The last day after a session she is asked whether pain that had not settled has now
#: (asked from day 2, "48 hours", CLINICAL.md rule 6).
PAIN_48H_DAYS = 3


@dataclass(frozen=True)
class ItemReport:
    """One exercise as she reports it: its program item id, done or not, how it felt."""

    item_id: int
    done: bool
    feedback: str = ""


def _long_date(day: date) -> str:
    return date_format(day, "l, F j")


def program_loggable_check(*, program: Program, today: date) -> None:
    """Raise ValidationError with her message when the program cannot be logged today."""
    if today < program.start_date:
        raise ValidationError(
            f"This program starts on {_long_date(program.start_date)}: "
            "you can log sessions from that day.",
            code="not_started",
        )
    if today > program.end_date:
        raise ValidationError(
            f"This program ended on {_long_date(program.end_date)}, so it takes no more "
            "sessions. Your therapist can give you a new one.",
            code="ended",
        )
    if program.paused_at is not None:
        raise ValidationError(
            "This program is paused until your therapist has spoken with you.", code="paused"
        )


def _pain(value: object, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not PAIN_MIN <= value <= PAIN_MAX:
        raise ValidationError({field: "Choose a number from 0 (no pain) to 10 (worst pain)."})
    return value


def session_log(
    *,
    patient: User,
    program_id: int,
    items: Sequence[ItemReport],
    pain_before: int,
    pain_after: int,
    idempotency_key: str,
    rpe: int | None = None,
    comment: str = "",
    red_flags: Sequence[str] = (),
    source: str = SessionLog.Source.FORM,
) -> tuple[SessionLog, bool]:
    """Log today's session of one of her programs; returns ``(log, created)``.

    ``items`` covers the program's exercises (ids of its items; an exercise left out counts
    as not done). ``rpe`` is on the 0-10 scale (Borg CR10). A key already used returns the
    session it logged, unchanged, with ``created`` False. Raises ``Http404`` for a program
    that is not hers and ``ValidationError`` (field errors or one message) for bad input or
    a program that takes no log today.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise ValidationError({"idempotency_key": "Give a key of 1 to 100 characters."})
    existing = SessionLog.objects.filter(patient=patient, idempotency_key=key).first()
    if existing is not None:
        return existing, False
    program = Program.objects.filter(pk=program_id, patient=patient).first()
    if program is None:
        raise Http404("No such program.")
    today = patient_today(patient_id=patient.pk)
    program_loggable_check(program=program, today=today)
    errors: dict[str, str] = {}
    for name, value in (("pain_before", pain_before), ("pain_after", pain_after)):
        try:
            _pain(value, name)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if rpe is not None and (
        isinstance(rpe, bool) or not isinstance(rpe, int) or not 0 <= rpe <= 10
    ):
        errors["rpe"] = "Choose a number from 0 (no effort) to 10 (as hard as you can)."
    unknown = [code for code in red_flags if code not in RedFlag.values]
    if unknown:
        errors["red_flags"] = "Choose from the symptoms listed."
    if len(comment) > 2000:
        errors["comment"] = "Please keep the comment under 2,000 characters."
    program_items = {item.pk: item for item in program.items.select_related("exercise")}
    reports = {report.item_id: report for report in items}
    if set(reports) - set(program_items):
        errors["items"] = "One of the exercises is not in this program any more: reload the page."
    feedback_values = {choice.value for choice in SessionItemLog.Feedback}
    if any(r.feedback and r.feedback not in feedback_values for r in reports.values()):
        errors["items"] = "Choose too easy, about right or too hard."
    if errors:
        raise ValidationError(errors)
    if not program_items:
        raise ValidationError("This program has no exercises yet.", code="empty")
    done = sum(1 for pk in program_items if pk in reports and reports[pk].done)
    try:
        with transaction.atomic():
            log = SessionLog.objects.create(
                program=program,
                patient=patient,
                performed_on=today,
                idempotency_key=key,
                items_done=done,
                items_total=len(program_items),
                pain_before=pain_before,
                pain_after=pain_after,
                rpe=rpe,
                rpe_scale=RpeScale.CR10,
                comment=comment.strip(),
                red_flags=sorted(set(red_flags)),
                source=source,
            )
            SessionItemLog.objects.bulk_create(
                SessionItemLog(
                    session=log,
                    program_item=item,
                    exercise_name=item.exercise.name,
                    done=pk in reports and reports[pk].done,
                    feedback=reports[pk].feedback if pk in reports else "",
                )
                for pk, item in program_items.items()
            )
            share = (Decimal(done) / len(program_items)).quantize(Decimal("0.01"))
            day, _ = ProgramDay.objects.get_or_create(
                program=program, day=today, defaults={"patient": patient}
            )
            ProgramDay.objects.filter(pk=day.pk).update(done=F("done") + share)
            if log.red_flags:
                _pause(program=program, log=log)
            session_flags_raise(log=log)
            monitor_changed(patient_id=patient.pk)
    except IntegrityError:
        existing = SessionLog.objects.filter(patient=patient, idempotency_key=key).first()
        if existing is None:
            raise
        return existing, False
    return log, True


def _pause(*, program: Program, log: SessionLog) -> None:
    """Pause every program of hers not ended yet, not only the one she logged: the symptom
    may be a vertebral fracture, so no loading until her therapist has spoken with her."""
    names = ", ".join(RedFlag(code).label.lower() for code in log.red_flags)
    running = Program.objects.select_for_update().filter(
        patient_id=program.patient_id, paused_at__isnull=True, end_date__gte=log.performed_on
    )
    paused = list(running.values_list("pk", flat=True))
    Program.objects.filter(pk__in=paused).update(
        paused_at=timezone.now(), pause_reason=f"She reported {names} on {log.performed_on}."[:300]
    )
    for program_id in paused:
        program_days_refresh_on_commit(program_id=program_id)
    transaction.on_commit(lambda: red_flag_alert(log=log))


def next_morning_pending(*, patient: User, today: date) -> SessionLog | None:
    """Her latest session from the last days whose next-morning pain she has not given."""
    return (
        SessionLog.objects.filter(
            patient=patient,
            performed_on__lt=today,
            performed_on__gte=today - timedelta(days=NEXT_MORNING_DAYS),
            pain_next_morning__isnull=True,
            next_morning_declined=False,
        )
        .select_related("program")
        .order_by("-performed_on", "-logged_at")
        .first()
    )


def next_morning_record(*, patient: User, log_id: int, pain: int | None) -> SessionLog:
    """Record (or, with ``pain`` None, decline) her next-morning pain for a session of hers."""
    return _pain_answer_record(
        patient=patient, log_id=log_id, pain=pain, score="pain_next_morning",
        logged_at="next_morning_logged_at", declined="next_morning_declined",
    )  # fmt: skip


def pain_48h_pending(*, patient: User, today: date) -> SessionLog | None:
    """Her latest session of two or three days ago whose pain had not settled by the next
    morning and that she has not been asked about again (CLINICAL.md rule 6: 48 hours).
    A next-morning answer given today (she opened Today late) is not asked again today:
    that would be the same reading twice; she is asked on a later day of the window."""
    today_began = datetime.combine(today, time(), tzinfo=patient_zone(patient_id=patient.pk))
    return (
        SessionLog.objects.filter(
            Q(next_morning_logged_at__isnull=True) | Q(next_morning_logged_at__lt=today_began),
            patient=patient,
            performed_on__lte=today - timedelta(days=2),
            performed_on__gte=today - timedelta(days=PAIN_48H_DAYS),
            pain_next_morning__gt=F("pain_before"),
            pain_48h__isnull=True,
            pain_48h_declined=False,
        )
        .select_related("program")
        .order_by("-performed_on", "-logged_at")
        .first()
    )


def pain_48h_record(*, patient: User, log_id: int, pain: int | None) -> SessionLog:
    """Record (or, with ``pain`` None, decline) her pain 48 hours after a session of hers;
    pain still above that day's pre-exercise score raises a red flag for the therapist."""
    return _pain_answer_record(
        patient=patient, log_id=log_id, pain=pain, score="pain_48h",
        logged_at="pain_48h_logged_at", declined="pain_48h_declined",
    )  # fmt: skip


def _pain_answer_record(
    *, patient: User, log_id: int, pain: int | None, score: str, logged_at: str, declined: str
) -> SessionLog:
    """Her answer to a later pain question about a session of hers, once: the first answer
    or refusal stands (a double submit changes nothing); an answer re-runs the session's
    flags. ``score``, ``logged_at`` and ``declined`` name the question's fields. Raises
    ``Http404`` for a session not hers, ``ValidationError`` for a score outside 0-10."""
    log = SessionLog.objects.select_related("program").filter(pk=log_id, patient=patient).first()
    if log is None:
        raise Http404("No such session.")
    if getattr(log, score) is not None or getattr(log, declined):
        return log
    if pain is None:
        SessionLog.objects.filter(pk=log.pk).update(**{declined: True})
        setattr(log, declined, True)
        return log
    _pain(pain, "pain")
    with transaction.atomic():
        updated = SessionLog.objects.filter(pk=log.pk, **{f"{score}__isnull": True}).update(
            **{score: pain, logged_at: timezone.now()}
        )
        setattr(log, score, pain)
        if updated:
            session_flags_raise(log=log)
            monitor_changed(patient_id=patient.pk)
    return log


def program_resume(*, therapist: TherapistProfile, program: Program,
                   request: HttpRequest | None = None) -> bool:  # fmt: skip
    """Resume a paused program of one of her patients (audited); its days ahead come back.
    Returns False, and changes and audits nothing, when it is not paused (any more: two
    presses racing resume it once)."""
    with transaction.atomic():
        resumed = Program.objects.filter(pk=program.pk, paused_at__isnull=False).update(
            paused_at=None, pause_reason=""
        )
        if not resumed:
            return False
        monitor_changed(patient_id=program.patient_id)
        program_days_refresh_on_commit(program_id=program.pk)
        audit_record(
            actor=therapist.user,
            patient=program.patient,
            action=AuditEvent.Action.UPDATE,
            obj=program,
            summary=f"Resumed the paused program {program.title}",
            request=request,
        )
    program.paused_at, program.pause_reason = None, ""
    return True


def programs_resume_all(*, therapist: TherapistProfile, patient_id: int,
                        request: HttpRequest | None = None) -> list[Program]:  # fmt: skip
    """Resume every paused program of one of her patients; returns the
    programs resumed, oldest start first (none on a second submit, or to the second of two
    presses racing). Each is resumed and audited as ``program_resume`` does. Raises
    ``Http404`` for anyone else's patient.

    All of them, not only some: a program is paused only by a red-flag report (a new sudden
    back pain, a fall, losing height: CLINICAL.md rule 8), and one report pauses all her
    programs at once, since the possible vertebral fracture is hers, not one program's. What
    clears the pause is the therapist having spoken with her and ruled the fracture out
    (rule 8: pause and "show clinician contact"), which clears it for every program; resuming
    them one by one only adds clicks and the risk of forgetting one. A program that has
    ended is resumed too: it takes no sessions either way, and it no longer shows as paused.
    Programs a former therapist of hers prescribed are resumed too: she is no longer that
    therapist's patient (404 there), so only her therapist now can.
    """
    if not PatientProfile.objects.filter(user_id=patient_id, therapist=therapist).exists():
        raise Http404("No such patient.")
    with transaction.atomic():
        paused = (
            Program.objects.filter(patient_id=patient_id, paused_at__isnull=False)
            .select_related("patient")
            .order_by("start_date", "pk")
        )
        return [
            program
            for program in paused
            if program_resume(therapist=therapist, program=program, request=request)
        ]
