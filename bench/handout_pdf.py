"""Time the PDF handout of a 10-exercise program (goal: under 1 second).

    python scripts/testenv.py --no-browser python bench/handout_pdf.py [--runs 7]

Needs DATABASE_URL (testenv.py gives a throwaway PostgreSQL). Migrates it, makes 10
exercises with a 1600 x 1200 picture each and a program of all ten inside a transaction
that is rolled back, then renders the handout ``--runs`` times (after one warm-up render)
and prints the median and the range in seconds. The baseline, in the same run, is a
one-paragraph WeasyPrint document with the handout's stylesheet: the ratio says what the
program's content costs over WeasyPrint's fixed cost. Not a pass/fail test.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(render: Callable[[], bytes], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds of each render. CPU time (this process's) barely changes
    when other programs share the machine; wall-clock time does."""
    render()  # warm-up: fonts, the template, the stylesheet
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        render()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings")
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="bench-media-")
    import django

    django.setup()
    import weasyprint
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from PIL import Image

    from exercises.handout import _stylesheet, program_handout_pdf
    from exercises.prescribing import ItemInput, program_assign
    from exercises.selectors import program_get
    from exercises.services import exercise_create, exercise_image_add
    from practice.accounts.models import PatientProfile, TherapistProfile, User

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        therapist_user = User.objects.create_user("bench-therapist@example.com", role="therapist")
        therapist = TherapistProfile.objects.create(
            user=therapist_user, slug="bench", display_name="Bench Therapist"
        )
        patient = User.objects.create_user("bench-patient@example.com", full_name="Bench Patient")
        PatientProfile.objects.create(user=patient, therapist=therapist)
        items = []
        for n in range(10):
            exercise = exercise_create(
                therapist=therapist,
                fields={
                    "name": f"Exercise {n + 1}",
                    "kind": "strength",
                    "position": "standing_supported",
                    "steps": [f"Step {s} of this exercise, in plain words." for s in range(1, 5)],
                    "sets": 3,
                    "reps": 10,
                    "rest_seconds": 60,
                    "days_per_week": 3,
                    "rpe_target": 6,
                    "safety_notes": "Hold on to something steady.",
                },
            )
            picture = io.BytesIO()
            Image.new("RGB", (1600, 1200), (13 * n, 90, 97)).save(picture, format="PNG")
            picture.seek(0)
            exercise_image_add(exercise=exercise, upload=picture, alt_text="A drawing")
            items.append(ItemInput(exercise=exercise, dose=exercise_dose(exercise)))
        program = program_assign(
            therapist=therapist,
            patient=patient,
            title="Bench program",
            start_date=timezone.localdate(),
            weeks=4,
            items=items,
        )
        program = program_get(user=patient, program_id=program.pk)
        pdf = program_handout_pdf(program=program)
        handout = timed(lambda: program_handout_pdf(program=program), args.runs)
        css = _stylesheet()
        baseline = timed(
            lambda: weasyprint.HTML(string="<p>One paragraph.</p>").write_pdf(stylesheets=[css]),
            args.runs,
        )
        transaction.set_rollback(True)
    (wall, cpu), (base_wall, base_cpu) = handout, baseline
    median, median_cpu = statistics.median(wall), statistics.median(cpu)
    print(f"PDF handout, 10 exercises with pictures ({len(pdf) // 1024} KiB), {args.runs} runs")
    print(
        f"  handout  median {median:.3f} s wall (range {min(wall):.3f}-{max(wall):.3f}), "
        f"{median_cpu:.3f} s CPU"
    )
    print(
        f"  baseline median {statistics.median(base_wall):.3f} s wall, "
        f"{statistics.median(base_cpu):.3f} s CPU (a one-paragraph WeasyPrint document)"
    )
    print(f"  ratio    {median_cpu / statistics.median(base_cpu):.1f}x the baseline's CPU time")
    print(
        f"  goal under 1 s: {'met' if median < 1 else 'not met'} on the wall clock, "
        f"{'met' if median_cpu < 1 else 'not met'} in CPU time"
    )


def exercise_dose(exercise: Any) -> Any:
    from exercises.dosage import Dose

    return Dose.of(exercise)


if __name__ == "__main__":
    main()
