"""The demo library: what a newcomer sees on first run, made twice without doubling."""

import pytest
from django.utils import timezone

from exercises import demo
from exercises.dosage import Dose, dose_text
from exercises.models import Exercise, ExerciseImage, Program, ProgramTemplate
from practice.accounts import demo as accounts_demo

pytestmark = pytest.mark.django_db


def test_the_demo_library_templates_and_program() -> None:
    accounts_demo.seed()
    demo.seed()
    demo.seed()
    public = Exercise.objects.filter(is_public=True)
    assert public.count() >= 12
    assert {"pendulum-leg-swings", "lunge-hip-flexor-stretch", "glute-bridge", "clamshell"} <= set(
        public.values_list("slug", flat=True)
    )
    swings = Exercise.objects.get(slug="pendulum-leg-swings")
    assert dose_text(Dose.of(swings)).startswith("2 rounds of 1 minute on each side")
    lunge = Exercise.objects.get(slug="lunge-hip-flexor-stretch")
    assert dose_text(Dose.of(lunge)).startswith("Hold 15 seconds, 3 times on each side")
    assert ExerciseImage.objects.filter(exercise__in=public).count() == public.count()
    assert not ExerciseImage.objects.filter(alt_text="").exists()
    assert ProgramTemplate.objects.count() == 2
    program = Program.objects.get(patient__email=demo.PATIENT_EMAIL)
    today = timezone.localdate()
    assert program.start_date < today <= program.end_date
    assert program.items.count() == 3
    assert program.patient.exercise_conditions.get().condition.code == "osteoporosis"
