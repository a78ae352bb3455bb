"""Writes to the exercise library: exercises, their pictures, precaution flags and the
conditions' mapping to them. The library holds no patient data; these are therapists' edits.

Validation raises ``ValidationError`` (dose bounds from ``exercises.dosage``).
"""

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageOps, UnidentifiedImageError

from exercises.dosage import Dose, dose_validate
from exercises.models import (
    Condition,
    ConditionPrecaution,
    Exercise,
    ExerciseImage,
    PrecautionFlag,
)
from practice.accounts.models import TherapistProfile
from practice.core.page_cache import public_pages_changed

#: The longest side of a stored picture, in pixels; larger uploads are scaled down.
IMAGE_MAX_SIDE = 1600
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
#: Addresses under /exercises/ that are pages, not exercises.
RESERVED_SLUGS = frozenset({"manage", "today", "player", "session", "sessions", "reminders"})


def slug_free(*, base: str, exclude_id: int | None = None) -> str:
    """``base`` as a slug, with "-2", "-3"... added until no other exercise has it."""
    root = slugify(base)[:150] or "exercise"
    if root in RESERVED_SLUGS:
        root = f"{root}-exercise"
    taken = set(
        Exercise.objects.filter(slug__startswith=root)
        .exclude(pk=exclude_id or 0)
        .values_list("slug", flat=True)
    )
    slug, n = root, 2
    while slug in taken:
        slug, n = f"{root}-{n}", n + 1
    return slug


def _exercise_write(
    exercise: Exercise,
    *,
    fields: dict[str, Any],
    flags: list[PrecautionFlag],
    progressions: list[Exercise],
) -> Exercise:
    was_public = exercise.is_public and exercise.pk is not None
    for name, value in fields.items():
        setattr(exercise, name, value)
    if not exercise.slug:
        exercise.slug = slug_free(base=exercise.name, exclude_id=exercise.pk)
    if exercise.slug in RESERVED_SLUGS:
        raise ValidationError({"slug": "This address is taken by a page of the site."})
    dose_validate(Dose.of(exercise))
    if exercise.pk and any(p.pk == exercise.pk for p in progressions):
        raise ValidationError({"progressions": "An exercise cannot be its own progression."})
    exercise.updated_at = timezone.now()
    exercise.full_clean(exclude=["precaution_flags", "progressions"])
    exercise.save()
    exercise.precaution_flags.set(flags)
    exercise.progressions.set(progressions)
    if exercise.is_public or was_public:
        public_pages_changed()
    return exercise


def exercise_create(
    *,
    therapist: TherapistProfile | None,
    fields: dict[str, Any],
    flags: list[PrecautionFlag] = (),  # type: ignore[assignment]
    progressions: list[Exercise] = (),  # type: ignore[assignment]
) -> Exercise:
    """A new exercise with its default dose (``fields`` are ``Exercise`` field values; an
    empty slug is made from the name). Raises ``ValidationError`` (dose bounds, a taken slug)."""
    with transaction.atomic():
        return _exercise_write(
            Exercise(created_by=therapist),
            fields=fields,
            flags=list(flags),
            progressions=list(progressions),
        )


def exercise_update(
    *,
    exercise: Exercise,
    fields: dict[str, Any],
    flags: list[PrecautionFlag],
    progressions: list[Exercise],
) -> Exercise:
    """Change an exercise. Programs already prescribed keep their own copy of the dose."""
    with transaction.atomic():
        return _exercise_write(exercise, fields=fields, flags=flags, progressions=progressions)


def exercise_duplicate(*, exercise: Exercise, therapist: TherapistProfile | None) -> Exercise:
    """A private copy named "<name> (copy)" with the same dose, flags, links and pictures."""
    with transaction.atomic():
        copy = Exercise.objects.get(pk=exercise.pk)
        copy.pk = None
        copy.name = f"{exercise.name} (copy)"[:150]
        copy.slug = slug_free(base=f"{exercise.slug}-copy")
        copy.is_public = False
        copy.created_by = therapist
        copy.created_at = copy.updated_at = timezone.now()
        copy.save()
        copy.precaution_flags.set(exercise.precaution_flags.all())
        copy.progressions.set(exercise.progressions.all())
        copy.regressions.set(exercise.regressions.all())
        for image in exercise.images.all():
            with image.image.open("rb") as source:
                content = ContentFile(source.read())
            new = ExerciseImage(exercise=copy, alt_text=image.alt_text, position=image.position)
            new.image.save((image.image.name or "").rsplit("/", 1)[-1], content, save=True)
        return copy


def image_normalise(upload: UploadedFile | io.BytesIO) -> tuple[bytes, str]:
    """A picture checked by its content (not its name), turned upright, scaled to at most
    ``IMAGE_MAX_SIDE`` pixels and re-encoded without its metadata (no camera GPS).

    Returns (bytes, file extension). Raises ``ValidationError`` for anything else.
    """
    try:
        with Image.open(upload) as original:
            kind = original.format or ""
            if kind not in IMAGE_FORMATS:
                raise ValidationError("Use a JPEG, PNG or WebP picture.")
            picture = ImageOps.exif_transpose(original)
            picture.thumbnail((IMAGE_MAX_SIDE, IMAGE_MAX_SIDE))
            if kind == "JPEG" and picture.mode not in ("RGB", "L"):
                picture = picture.convert("RGB")
            out = io.BytesIO()
            picture.save(out, format=kind, quality=85)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError("This file is not a picture we can read.") from exc
    return out.getvalue(), IMAGE_FORMATS[kind]


def exercise_image_add(
    *, exercise: Exercise, upload: UploadedFile | io.BytesIO, alt_text: str
) -> ExerciseImage:
    """Add a picture at the end of the exercise's pictures. Raises ``ValidationError`` for a
    file that is not a picture or a missing description."""
    if not alt_text.strip():
        raise ValidationError({"alt_text": "Describe the picture for people who cannot see it."})
    content, extension = image_normalise(upload)
    with transaction.atomic():
        last = exercise.images.order_by("-position").values_list("position", flat=True).first()
        image = ExerciseImage(
            exercise=exercise, alt_text=alt_text.strip(), position=(last or 0) + 1
        )
        image.image.save(f"{exercise.slug}.{extension}", ContentFile(content), save=True)
        if exercise.is_public:
            public_pages_changed()
    return image


def exercise_image_delete(*, image: ExerciseImage) -> None:
    with transaction.atomic():
        exercise = image.exercise
        image.delete()
        transaction.on_commit(lambda: image.image.delete(save=False))
        if exercise.is_public:
            public_pages_changed()


def flag_create(*, code: str, name: str, description: str = "") -> PrecautionFlag:
    """A precaution flag the therapist adds to the built-in ones."""
    flag = PrecautionFlag(code=code.strip().upper(), name=name.strip(), description=description)
    flag.full_clean()
    flag.save()
    return flag


def condition_create(*, code: str, name: str, description: str = "") -> Condition:
    condition = Condition(code=code.strip().lower(), name=name.strip(), description=description)
    condition.full_clean()
    condition.save()
    return condition


def condition_precautions_set(*, condition: Condition, actions: dict[int, str]) -> None:
    """Set what each flag needs for patients with ``condition``: ``actions`` maps flag ids to
    a ``ConditionPrecaution.Action`` value, or "" for no precaution."""
    with transaction.atomic():
        for flag_id, action in actions.items():
            if action:
                if action not in ConditionPrecaution.Action.values:
                    raise ValidationError("Choose what this flag needs from the list.")
                ConditionPrecaution.objects.update_or_create(
                    condition=condition, flag_id=flag_id, defaults={"action": action}
                )
            else:
                ConditionPrecaution.objects.filter(condition=condition, flag_id=flag_id).delete()
