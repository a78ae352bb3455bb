"""The demo patient's two weeks of logs: real content for Today and the therapist, one pain
flag among them, made once however often the demo is seeded."""

import pytest

from exercises import demo
from exercises.adherence import monitor_patient_get, monitor_patient_rows
from exercises.demo_logs import DAYS
from exercises.models import PainFlag, SessionLog
from exercises.pain import FlagKind
from practice.accounts import demo as accounts_demo

pytestmark = pytest.mark.django_db


def test_two_weeks_of_logs_with_one_pain_flag_seeded_once() -> None:
    accounts_demo.seed()
    demo.seed()
    demo.seed()
    logs = SessionLog.objects.filter(patient__email=demo.PATIENT_EMAIL)
    assert logs.count() == len(DAYS)
    assert list(PainFlag.objects.values_list("kind", flat=True)) == [FlagKind.PAIN_HIGH]
    program = logs.select_related("program__therapist")[0].program
    (row,) = monitor_patient_rows(therapist=program.therapist)
    assert 50 < row.adherence_28 < 100  # type: ignore[attr-defined]  # two missed days and two partial sessions
    assert [f.kind for f in row.user.open_flags] == [FlagKind.PAIN_HIGH]  # type: ignore[attr-defined]
    detail = monitor_patient_get(therapist=program.therapist, patient_id=program.patient_id)
    assert "Sore hip after gardening" in [log.comment[:24] for log in detail.logs]
    assert {day.status for day in detail.calendar} >= {"done", "missed"}
