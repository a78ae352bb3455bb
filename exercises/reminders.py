"""Daily exercise reminder emails: opt-in, at her chosen local time, on her program days.

Guarantees (README, "Exercise reminders"):
- at most one email per local day: the Job for a day is named after the day
  (``exercises.reminder:<patient>:<YYYY-MM-DD>``) and a Job runs once; the email's
  idempotency key is the same name;
- at her clock time in her zone on that day, also across DST (``reminder_times``);
- only on a day with a session prescribed by a running, unpaused program, never after the
  last program ends, never when she has already logged that day;
- a stop link that needs no login (and RFC 8058 one-click for mail clients);
- the email names no condition and no exercise: an email is not a private channel.

Each run schedules the next one, so a chain of Jobs carries her reminders; changing the
time or the programs reschedules the chain.
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from exercises.models import Program, ProgramDay, ReminderPreference, SessionLog
from exercises.models.reminders import stop_token
from exercises.monitoring import monitor_schedule
from exercises.reminder_times import local_instant
from exercises.schedule import patient_today, patient_zone, program_days_sync
from practice.accounts.models import User
from practice.outbox.services import email_queue
from practice.scheduling.services import job_cancel, job_schedule

JOB_KIND = "exercises.reminder"
#: How far ahead the chain looks for her next program day.
LOOKAHEAD_DAYS = 366


def reminder_preference_get(*, patient: User) -> ReminderPreference | None:
    return ReminderPreference.objects.filter(patient=patient).first()


def reminder_token_valid(*, token: str) -> bool:
    return bool(token) and ReminderPreference.objects.filter(stop_token=token).exists()


def _job_key(patient_id: int, day: date) -> str:
    return f"{JOB_KIND}:{patient_id}:{day.isoformat()}"


def reminder_days(*, patient_id: int, start: date, end: date) -> list[date]:
    """Her days from ``start`` to ``end`` with a session prescribed by an unpaused program."""
    return sorted(
        set(
            ProgramDay.objects.filter(
                patient_id=patient_id,
                day__gte=start,
                day__lte=end,
                prescribed__gt=0,
                program__paused_at__isnull=True,
            ).values_list("day", flat=True)
        )
    )


def reminder_schedule_next(
    *, patient_id: int, after: datetime | None = None, running_key: str = ""
) -> str:
    """Schedule her next reminder after ``after`` (now); returns its Job key, "" when none.

    Cancels the pending Job of the chain when the next reminder moved to another day (but
    not ``running_key``, the Job calling this).
    """
    preference = ReminderPreference.objects.filter(patient_id=patient_id).first()
    if preference is None:
        return ""
    after = after or timezone.now()
    zone = patient_zone(patient_id=patient_id)
    local_day = after.astimezone(zone).date()
    key = ""
    if preference.enabled:
        for day in reminder_days(
            patient_id=patient_id,
            start=local_day - timedelta(days=1),
            end=local_day + timedelta(days=LOOKAHEAD_DAYS),
        ):
            due = local_instant(day=day, at=preference.remind_at, zone=zone)
            if due > after:
                job = job_schedule(
                    kind=JOB_KIND,
                    key=_job_key(patient_id, day),
                    due_at=due,
                    payload={"patient_id": patient_id, "day": day.isoformat()},
                )
                if job.done_at is None:
                    key = job.key
                    break
    if preference.job_key and preference.job_key not in (key, running_key):
        job_cancel(key=preference.job_key)
    ReminderPreference.objects.filter(pk=preference.pk).update(job_key=key)
    return key


def reminder_preference_save(
    *, patient: User, enabled: bool, remind_at: time
) -> ReminderPreference:
    """Turn her reminders on or off and set their time; reschedules the next one."""
    with transaction.atomic():
        preference, _ = ReminderPreference.objects.select_for_update().get_or_create(
            patient=patient
        )
        if enabled and not preference.enabled:
            preference.stop_token = stop_token()
        preference.enabled = enabled
        preference.remind_at = remind_at.replace(second=0, microsecond=0, tzinfo=None)
        preference.updated_at = timezone.now()
        preference.save()
        reminder_schedule_next(patient_id=patient.pk)
    preference.refresh_from_db()
    return preference


def reminder_stop_by_token(*, token: str) -> bool:
    """Stop the reminders the token belongs to; False for an unknown token."""
    if not token:
        return False
    with transaction.atomic():
        preference = ReminderPreference.objects.select_for_update().filter(stop_token=token).first()
        if preference is None:
            return False
        if preference.enabled:
            preference.enabled = False
            preference.stopped_by_link_at = timezone.now()
            preference.save(update_fields=["enabled", "stopped_by_link_at"])
            reminder_schedule_next(patient_id=preference.patient_id)
    return True


def reminder_send(*, patient_id: int, day: str) -> bool:
    """Send her reminder for local ``day`` if it is still wanted; returns whether it was queued.

    Then schedules the next one. Called by the Job handler; safe to call twice.
    """
    local_day = date.fromisoformat(day)
    preference = (
        ReminderPreference.objects.select_related("patient").filter(patient_id=patient_id).first()
    )
    if preference is None or not preference.enabled or not preference.patient.is_active:
        return False
    sent = False
    today = patient_today(patient_id=patient_id)
    wanted = (
        local_day == today
        and reminder_days(patient_id=patient_id, start=local_day, end=local_day)
        and not SessionLog.objects.filter(patient_id=patient_id, performed_on=local_day).exists()
    )
    if wanted:
        stop_url = reverse("exercises:reminder_stop_link", kwargs={"token": preference.stop_token})
        email_queue(
            to=preference.patient.email,
            template="exercises/reminder",
            context={
                "name": preference.patient.greeting_name,
                "today_url": settings.SITE_URL + reverse("exercises:today"),
                "settings_url": settings.SITE_URL + reverse("exercises:reminders"),
                "stop_url": settings.SITE_URL + stop_url,
            },
            idempotency_key=_job_key(patient_id, local_day),
            headers={
                "List-Unsubscribe": f"<{settings.SITE_URL}{stop_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
            private=True,
        )
        sent = True
    due = local_instant(
        day=local_day, at=preference.remind_at, zone=patient_zone(patient_id=patient_id)
    )
    reminder_schedule_next(
        patient_id=patient_id,
        after=max(timezone.now(), due),
        running_key=_job_key(patient_id, local_day),
    )
    return sent


def program_days_refresh(*, program_id: int) -> None:
    """After a program changed: its prescribed days, her reminder chain, the daily check."""
    program_days_sync(program_id=program_id)
    program = Program.objects.filter(pk=program_id).values("patient_id", "therapist_id").first()
    if program is None:
        return
    reminder_schedule_next(patient_id=program["patient_id"])
    monitor_schedule(therapist_id=program["therapist_id"])


def program_days_refresh_on_commit(*, program_id: int) -> None:
    transaction.on_commit(lambda: program_days_refresh(program_id=program_id))
