"""Library data for exercises tests: exercises with a default dose, and pictures."""

import io
import itertools
from typing import Any

from PIL import Image

from exercises.models import Exercise, PrecautionFlag
from exercises.services import exercise_create, exercise_image_add

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
