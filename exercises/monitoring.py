"""The therapist's daily check: "no log on prescribed days" flags and the digest of new flags.

One Job per therapist and day (``exercises.monitor:<therapist>:<YYYY-MM-DD>``, at
``MONITOR_AT`` in the practice's zone), so each runs once; each run schedules the next while
she has a running program, and prescribing or logging restarts the chain.
"""

from datetime import time, timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from exercises.flags import flag_digest_send, missed_days_raise
from exercises.models import MonitoringSettings, PainFlag, Program
from exercises.monitor_version import monitor_changed, monitor_version_bump
from exercises.pain import MonitoringThresholds
from exercises.reminder_times import local_instant
from exercises.schedule import patient_today
from practice.accounts.models import TherapistProfile
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.core.selectors import practice_zone
from practice.scheduling.services import job_schedule

JOB_KIND = "exercises.monitor"
#: When the daily check runs and the digest goes out, in the practice's time zone.
MONITOR_AT = time(7, 0)


def monitor_schedule(*, therapist_id: int) -> str:
    """Schedule her next daily check (idempotent); returns its Job key."""
    zone = practice_zone()
    now = timezone.now()
    day = now.astimezone(zone).date()
    if local_instant(day=day, at=MONITOR_AT, zone=zone) <= now:
        day += timedelta(days=1)
    key = f"{JOB_KIND}:{therapist_id}:{day.isoformat()}"
    job_schedule(
        kind=JOB_KIND,
        key=key,
        due_at=local_instant(day=day, at=MONITOR_AT, zone=zone),
        payload={"therapist_id": therapist_id, "day": day.isoformat()},
    )
    return key


def monitor_run(*, therapist_id: int, day: str) -> int:
    """Raise missed-days flags on her running programs and send her digest; returns the
    number of flags in the digest. Schedules tomorrow's check while she has a program."""
    programs = list(Program.objects.filter(therapist_id=therapist_id, paused_at__isnull=True))
    running = False
    for program in programs:
        today = patient_today(patient_id=program.patient_id)
        if program.start_date <= today <= program.end_date:
            running = True
            missed_days_raise(program=program, today=today)
    sent = flag_digest_send(therapist_id=therapist_id, day=day)
    if running:
        monitor_schedule(therapist_id=therapist_id)
    return sent


@transaction.atomic
def flag_resolve(*, therapist: TherapistProfile, flag: PainFlag, request: HttpRequest | None = None
                 ) -> None:  # fmt: skip
    """Mark one of her patients' flags as dealt with (audited)."""
    updated = PainFlag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=therapist.user
    )
    if updated:
        monitor_changed(patient_id=flag.patient_id)
        audit_record(
            actor=therapist.user,
            patient=flag.patient,
            action=AuditEvent.Action.UPDATE,
            obj=flag,
            summary=f"Marked a flag dealt with: {flag.get_kind_display()}",
            request=request,
        )


@transaction.atomic
def monitoring_settings_save(*, therapist: TherapistProfile, thresholds: MonitoringThresholds
                             ) -> MonitoringSettings:  # fmt: skip
    """Save her zones and flag thresholds (validated by ``MonitoringThresholds``)."""
    row, _ = MonitoringSettings.objects.update_or_create(
        therapist=therapist,
        defaults={
            "safe_max": thresholds.safe_max,
            "acceptable_max": thresholds.acceptable_max,
            "rise_points": thresholds.rise_points,
            "missed_days": thresholds.missed_days,
        },
    )
    monitor_version_bump(therapist_id=therapist.pk)
    return row
