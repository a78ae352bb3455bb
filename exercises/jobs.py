"""Scheduled work of the exercises app (Job handlers; see docs/architecture.md).

Each handler re-checks that its work is still wanted: the services it calls do.
"""

from exercises.monitoring import JOB_KIND as MONITOR_KIND
from exercises.monitoring import monitor_run
from exercises.reminders import JOB_KIND as REMINDER_KIND
from exercises.reminders import reminder_send
from practice.scheduling.registry import job_handler


@job_handler(REMINDER_KIND)
def reminder(*, patient_id: int, day: str) -> None:
    reminder_send(patient_id=patient_id, day=day)


@job_handler(MONITOR_KIND)
def monitor(*, therapist_id: int, day: str) -> None:
    monitor_run(therapist_id=therapist_id, day=day)
