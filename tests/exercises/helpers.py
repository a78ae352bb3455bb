"""Library data for exercises tests: exercises with a default dose, and pictures."""

import io
import itertools
from dataclasses import replace
from datetime import date
from typing import Any

from django.utils import timezone
from PIL import Image

from exercises.dosage import Dose
from exercises.models import Exercise, PrecautionFlag, Program
from exercises.prescribing import ItemInput, program_assign
from exercises.services import exercise_create, exercise_image_add
from practice.accounts.models import User

_serial = itertools.count(1)


def exercise_make(
    *, name: str = "", is_public: bool = True, flags: tuple[str, ...] = (), **fields: Any
) -> Exercise:
    """An exercise through the service (a 3 x 10 strength exercise unless told otherwise)."""
    name = name or f"Exercise {next(_serial)}"
    values: dict[str, Any] = {
        "name": name,
        "kind": "strength",
        "position": "standing_supported",
        "steps": ["Stand tall holding the counter.", "Do the movement slowly."],
        "sets": 3,
        "reps": 10,
        "rest_seconds": 60,
        "days_per_week": 3,
        "rpe_target": 6,
        "is_public": is_public,
    }
    values.update(fields)
    return exercise_create(
        therapist=None,
        fields=values,
        flags=list(PrecautionFlag.objects.filter(code__in=flags)),
    )


def png_bytes(size: tuple[int, int] = (40, 30), color: str = "teal") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    out.seek(0)
    return out


def picture_add(exercise: Exercise, alt: str = "A woman holding a counter") -> None:
    exercise_image_add(exercise=exercise, upload=png_bytes(), alt_text=alt)


def program_make(
    *,
    therapist: User,
    patient: User,
    exercises: list[Exercise] | None = None,
    weeks: int = 4,
    start: date | None = None,
    reasons: dict[int, str] | None = None,
) -> Program:
    """A program prescribed through the service, starting today unless told otherwise."""
    exercises = exercises or [exercise_make(name=f"Bridge {next(_serial)}")]
    return program_assign(
        therapist=therapist.therapist_profile,
        patient=patient,
        title="Wake up your glutes",
        start_date=start or timezone.localdate(),
        weeks=weeks,
        items=[item_of(e) for e in exercises],
        reasons=reasons,
    )


def item_of(exercise: Exercise, **dose: Any) -> ItemInput:
    """The exercise with its default dose made complete for a prescription (and ``dose``)."""
    values = {"rest_seconds": 30, "load_note": "body weight", **dose}
    return ItemInput(exercise=exercise, dose=replace(Dose.of(exercise), **values))
