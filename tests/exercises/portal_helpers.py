"""Programs and logs for the patient-portal tests, made through the real services."""

from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.urls import reverse

from exercises.dosage import Dose
from exercises.models import Program, SessionLog
from exercises.prescribing import ItemInput, program_assign
from exercises.schedule import patient_today, program_days_sync
from practice.accounts.models import User
from tests.exercises.helpers import exercise_make


def program_make(
    *,
    therapist: User,
    patient: User,
    start: date | None = None,
    weeks: int = 2,
    doses: tuple[dict[str, Any], ...] = (
        {
            "sets": 1,
            "reps": 3,
            "hold_seconds": 15,
            "rest_seconds": 0,
            "side": "both",
            "times_per_day": 2,
        },
        {"sets": 2, "reps": 10, "rest_seconds": 30, "days_per_week": 7},
    ),
    title: str = "Hip flexor release",
) -> Program:
    """A program through ``program_assign`` starting (by default) today in her zone; its
    prescribed days are written at once (the receiver would on commit)."""
    start = start or patient_today(patient_id=patient.pk)
    items = []
    for n, dose in enumerate(doses):
        kind = "static_stretch" if dose.get("hold_seconds") else "strength"
        exercise = exercise_make(name=f"{title} exercise {n + 1}", kind=kind)
        items.append(ItemInput(exercise=exercise, dose=Dose.from_dict({"rpe_target": 5, **dose})))
    program = program_assign(
        therapist=therapist.therapist_profile,
        patient=patient,
        title=title,
        start_date=start,
        weeks=weeks,
        items=items,
        reasons={item.exercise.pk: "Checked" for item in items},
    )
    program_days_sync(program_id=program.pk)
    return program


def log_form_data(program: Program, **overrides: Any) -> dict[str, Any]:
    """A complete logging form: every exercise done and about right, pain 2 then 3."""
    data: dict[str, Any] = {
        "idempotency_key": overrides.pop("idempotency_key", "key-1"),
        "pain_before": 2,
        "pain_after": 3,
        "rpe": 5,
        "comment": "",
    }
    for item in program.items.all():
        data[f"item_{item.pk}_done"] = "on"
        data[f"item_{item.pk}_feedback"] = "about_right"
    data.update(overrides)
    return data


def session_post(
    client: Client, program: Program, *, follow: bool = False, **overrides: Any
) -> Any:
    url = reverse("exercises:player", kwargs={"program_id": program.pk})
    return client.post(url, log_form_data(program, **overrides), follow=follow)


def days_ago(n: int, *, patient: User) -> date:
    return patient_today(patient_id=patient.pk) - timedelta(days=n)


def unsettled_log_make(program: Program, *, days: int = 2, morning: int = 4) -> SessionLog:
    """A session of ``days`` days ago, pain 2 before and 4 after, ``morning`` the next
    morning: above 2, not settled, so Today asks again at 48 hours (CLINICAL.md rule 6)."""
    patient = program.patient
    return SessionLog.objects.create(
        program=program, patient=patient, performed_on=days_ago(days, patient=patient),
        idempotency_key=f"unsettled-{days}", items_done=2, items_total=2,
        pain_before=2, pain_after=4, pain_next_morning=morning,
    )  # fmt: skip


def row_of(html: str, name: str) -> str:
    """The patients list's table row of the patient called ``name``."""
    start = html.index(name)
    return html[start : html.index("</tr>", start)]
