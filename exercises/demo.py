"""Demo library: public exercises with drawings and doses, two templates, and the demo
patient on an active program (her logs come from the portal's part of this file's seed).

Idempotent: exercises are matched by slug and refreshed, pictures added once, templates
matched by name, the program made once.
"""

import io
from dataclasses import replace
from datetime import timedelta
from typing import Any

from exercises.demo_logs import seed_logs
from exercises.demo_pictures import picture_png
from exercises.dosage import Dose
from exercises.models import Condition, Exercise, PrecautionFlag, Program, ProgramTemplate
from exercises.prescribing import (
    ItemInput,
    patient_condition_add,
    program_assign,
    template_create,
)
from exercises.schedule import patient_today
from exercises.services import exercise_create, exercise_image_add, exercise_update
from practice.accounts.models import TherapistProfile, User

THERAPIST_EMAIL = "therapist@example.com"
PATIENT_EMAIL = "patient@example.com"
PROGRAM_TITLE = "Wake up your glutes"

#: slug -> (fields, flag codes, pose, picture description)
EXERCISES: dict[str, tuple[dict[str, Any], tuple[str, ...], str, str]] = {
    "pendulum-leg-swings": (
        {
            "name": "Pendulum leg swings",
            "kind": "dynamic_stretch",
            "position": "standing_supported",
            "summary": "Swing one leg like a pendulum to loosen the front and side of the hip.",
            "body_regions": ["hip"],
            "muscles": ["hip flexors", "hip adductors", "glutes"],
            "equipment": "A sturdy chair or the kitchen counter",
            "steps": [
                "Stand side-on to a sturdy chair and hold its back with one hand.",
                "Stand tall on the leg next to the chair, knee soft.",
                "Swing the other leg forward and back like a pendulum for 1 minute.",
                "Then swing it side to side across your body for 1 minute.",
                "Turn around and do the same with the other leg.",
            ],
            "cues": ["Keep your trunk upright and still.", "Swing only as far as is comfortable."],
            "common_mistakes": ["Leaning the trunk to make the swing bigger."],
            "safety_notes": "Always hold on to something steady.",
            "sets": 2,
            "duration_seconds": 60,
            "side": "both",
            "days_per_week": 7,
            "rpe_target": 2,
            "dose_notes": "First round forward and back, second round side to side.",
        },
        (),
        "leg_swing",
        "A woman holding the back of a chair, swinging one leg backwards",
    ),
    "lunge-hip-flexor-stretch": (
        {
            "name": "Lunge hip-flexor stretch",
            "kind": "static_stretch",
            "position": "standing_supported",
            "summary": "A standing stretch for the front of the hip (iliopsoas).",
            "body_regions": ["hip", "thigh"],
            "muscles": ["iliopsoas", "rectus femoris"],
            "equipment": "A kitchen counter",
            "steps": [
                "Stand facing the counter and hold it with both hands.",
                "Step one foot back into a long stride, back heel lifted.",
                "Tuck your tailbone under and bend the front knee a little.",
                "Feel a gentle stretch at the front of the back hip and hold.",
                "Step back together, rest, and repeat; then change legs.",
            ],
            "cues": ["Stand tall; do not arch your lower back."],
            "common_mistakes": ["Leaning forward instead of tucking the tailbone."],
            "safety_notes": "A stretch, never a pain. Kneeling is not needed.",
            "sets": 1,
            "reps": 3,
            "hold_seconds": 15,
            "rest_seconds": 10,
            "side": "both",
            "days_per_week": 7,
            "load_note": "A gentle pull, no pain",
        },
        (),
        "lunge",
        "A woman in a long standing stride holding a counter, back knee straight",
    ),
    "glute-bridge": (
        {
            "name": "Glute bridge",
            "kind": "strength",
            "position": "lying_back",
            "summary": "Lift your hips to wake up the glutes. It works well on a firm bed.",
            "body_regions": ["glutes", "hip"],
            "muscles": ["gluteus maximus", "hamstrings"],
            "equipment": "A firm bed or a mat",
            "steps": [
                "Lie on your back, knees bent, feet flat and hip-width apart.",
                "Squeeze your buttocks and lift your hips until your body is a straight line.",
                "Hold for a breath, then lower slowly.",
            ],
            "cues": ["Keep your spine long and neutral.", "Push through your heels."],
            "common_mistakes": ["Rolling the spine up one bone at a time.", "Arching the back."],
            "safety_notes": "Do it on your bed if getting down to the floor is hard.",
            "sets": 2,
            "reps": 10,
            "rest_seconds": 60,
            "days_per_week": 3,
            "rpe_target": 5,
            "tempo": "2 seconds up, 2 seconds down",
        },
        ("FLOOR_TRANSITION",),
        "bridge",
        "A woman lying on her back with knees bent and hips lifted",
    ),
    "clamshell": (
        {
            "name": "Clamshell",
            "kind": "strength",
            "position": "lying_side",
            "summary": "Open the top knee like a clamshell to strengthen the side of the hip.",
            "body_regions": ["glutes", "hip"],
            "muscles": ["gluteus medius"],
            "equipment": "A bed or a mat; a pillow for your head",
            "steps": [
                "Lie on your side with hips and knees bent, feet together.",
                "Keep your feet touching and lift the top knee as far as is comfortable.",
                "Lower it slowly.",
            ],
            "cues": ["Do not let the top hip roll back."],
            "common_mistakes": ["Rolling the pelvis back to lift higher."],
            "sets": 3,
            "reps": 10,
            "rest_seconds": 45,
            "side": "both",
            "days_per_week": 3,
            "rpe_target": 5,
        },
        (),
        "side_lying",
        "A woman lying on her side, knees bent, top knee lifted",
    ),
    "sit-to-stand": (
        {
            "name": "Sit to stand",
            "kind": "strength",
            "position": "sitting",
            "summary": "Stand up from a chair without your hands: strength for everyday life.",
            "body_regions": ["thigh", "glutes"],
            "muscles": ["quadriceps", "glutes"],
            "equipment": "A firm armchair",
            "steps": [
                "Sit near the front of the chair, feet flat and hip-width apart.",
                "Lean forward from the hips with a straight back.",
                "Stand up tall, then sit back down slowly.",
            ],
            "cues": ["Hinge at the hips, not the back.", "Use the armrests at first if needed."],
            "common_mistakes": ["Dropping into the chair."],
            "sets": 2,
            "reps": 10,
            "rest_seconds": 60,
            "days_per_week": 3,
            "rpe_target": 6,
        },
        (),
        "sitting",
        "A woman sitting upright on a chair, ready to stand",
    ),
    "heel-raises": (
        {
            "name": "Heel raises",
            "kind": "strength",
            "position": "standing_supported",
            "summary": "Rise onto your toes to strengthen the calves and ankles.",
            "body_regions": ["lower_leg", "ankle_foot"],
            "muscles": ["calf muscles"],
            "equipment": "A counter to hold",
            "steps": ["Hold the counter.", "Rise onto your toes.", "Lower slowly."],
            "sets": 2,
            "reps": 12,
            "rest_seconds": 45,
            "days_per_week": 3,
            "rpe_target": 5,
        },
        (),
        "standing_chair",
        "A woman standing tall holding the back of a chair",
    ),
    "wall-push-up": (
        {
            "name": "Wall push-up",
            "kind": "strength",
            "position": "standing",
            "summary": "A push-up against the wall for the chest, shoulders and arms.",
            "body_regions": ["shoulder", "arm_hand"],
            "muscles": ["chest", "triceps"],
            "equipment": "A clear wall",
            "steps": [
                "Stand an arm's length from the wall, hands on it at shoulder height.",
                "Bend your elbows to bring your chest toward the wall.",
                "Push back to the start.",
            ],
            "sets": 2,
            "reps": 10,
            "rest_seconds": 60,
            "days_per_week": 2,
            "rpe_target": 6,
        },
        (),
        "wall",
        "A woman leaning toward a wall with her hands on it",
    ),
    "standing-hip-abduction": (
        {
            "name": "Standing side leg lift",
            "kind": "strength",
            "position": "standing_supported",
            "summary": "Lift one leg out to the side to strengthen the side of the hip.",
            "body_regions": ["hip", "glutes"],
            "muscles": ["gluteus medius"],
            "equipment": "A counter to hold",
            "steps": ["Hold the counter.", "Lift one leg out to the side.", "Lower slowly."],
            "sets": 2,
            "reps": 10,
            "rest_seconds": 45,
            "side": "both",
            "days_per_week": 3,
            "rpe_target": 6,
        },
        (),
        "standing_chair",
        "A woman standing beside a chair, holding it",
    ),
    "tandem-stance": (
        {
            "name": "Heel-to-toe stand",
            "kind": "balance",
            "position": "standing_supported",
            "summary": "Stand with one foot in front of the other to train balance.",
            "body_regions": ["ankle_foot", "whole_body"],
            "equipment": "A counter within reach",
            "steps": [
                "Stand at the counter, hand resting on it.",
                "Place one foot directly in front of the other, heel to toe.",
                "Hold, then change which foot is in front.",
            ],
            "sets": 1,
            "reps": 3,
            "hold_seconds": 30,
            "rest_seconds": 10,
            "side": "alternating",
            "days_per_week": 7,
            "load_note": "Lighten your hand on the counter as it gets easier",
        },
        (),
        "standing_chair",
        "A woman standing heel to toe beside a chair",
    ),
    "single-leg-stance": (
        {
            "name": "Stand on one leg",
            "kind": "balance",
            "position": "standing",
            "summary": "Balance on one leg with the counter within reach.",
            "body_regions": ["ankle_foot", "hip", "whole_body"],
            "equipment": "A counter within reach",
            "steps": ["Stand at the counter.", "Lift one foot.", "Hold, then change legs."],
            "safety_notes": "Keep the counter within reach at all times.",
            "sets": 1,
            "reps": 3,
            "hold_seconds": 20,
            "rest_seconds": 10,
            "side": "both",
            "days_per_week": 7,
            "load_note": "Fingertips on the counter at first",
        },
        ("BALANCE_UNSUPPORTED",),
        "standing_chair",
        "A woman standing on one leg next to a chair",
    ),
    "calf-stretch": (
        {
            "name": "Calf stretch at the wall",
            "kind": "static_stretch",
            "position": "standing",
            "summary": "Lean into the wall to stretch the back of the lower leg.",
            "body_regions": ["lower_leg"],
            "muscles": ["gastrocnemius", "soleus"],
            "equipment": "A wall",
            "steps": [
                "Face the wall, hands on it.",
                "Step one foot back, heel down, knee straight.",
                "Lean forward until you feel the stretch and hold.",
            ],
            "sets": 1,
            "reps": 2,
            "hold_seconds": 30,
            "rest_seconds": 10,
            "side": "both",
            "days_per_week": 7,
            "load_note": "A gentle pull, no pain",
        },
        (),
        "wall",
        "A woman leaning on a wall with one leg stepped back",
    ),
    "chin-tuck": (
        {
            "name": "Seated chin tuck",
            "kind": "mobility",
            "position": "sitting",
            "summary": "Draw your head back over your shoulders for a taller posture.",
            "body_regions": ["neck", "upper_back"],
            "equipment": "A chair",
            "steps": [
                "Sit tall, shoulders relaxed.",
                "Glide your chin straight back, as if making a double chin.",
                "Hold, then relax.",
            ],
            "sets": 1,
            "reps": 10,
            "hold_seconds": 5,
            "rest_seconds": 5,
            "days_per_week": 7,
            "times_per_day": 2,
            "load_note": "Gentle, no strain",
        },
        (),
        "sitting",
        "A woman sitting tall on a chair",
    ),
    "back-extension-lying": (
        {
            "name": "Lying back extension",
            "kind": "strength",
            "position": "lying_front",
            "summary": "Lift your head and chest a little to strengthen the back muscles.",
            "body_regions": ["upper_back", "lower_back"],
            "muscles": ["back extensors"],
            "equipment": "A bed or a mat; a pillow under your tummy",
            "steps": [
                "Lie on your front with a pillow under your tummy, arms by your sides.",
                "Lift your head and shoulders a few centimetres, looking at the floor.",
                "Hold for a breath and lower slowly.",
            ],
            "sets": 1,
            "reps": 8,
            "rest_seconds": 30,
            "days_per_week": 7,
            "rpe_target": 4,
        },
        ("FLOOR_TRANSITION",),
        "lying_front",
        "A woman lying face down, head and chest slightly lifted",
    ),
    "brisk-walk": (
        {
            "name": "Brisk walk",
            "kind": "aerobic",
            "position": "walking",
            "summary": "Walk fast enough to breathe harder but still talk.",
            "body_regions": ["whole_body"],
            "equipment": "Good shoes",
            "steps": ["Warm up at an easy pace.", "Walk briskly.", "Slow down to finish."],
            "sets": 1,
            "duration_seconds": 1200,
            "days_per_week": 5,
            "rpe_target": 5,
        },
        (),
        "walking",
        "A woman walking briskly",
    ),
    "lift-basket-low-shelf": (
        {
            "name": "Lifting a basket from a low shelf",
            "kind": "strength",
            "position": "standing",
            "summary": "Practice for lifting at home with a hip hinge (clinic use only).",
            "body_regions": ["lower_back", "thigh"],
            "steps": ["Bend at hips and knees, back straight.", "Lift close to your body."],
            "sets": 1,
            "reps": 5,
            "rest_seconds": 60,
            "days_per_week": 2,
            "load_note": "An empty basket at first",
            "is_public": False,
        },
        ("FLEXION_LOADED", "BEND_TWIST_LIFT"),
        "standing_chair",
        "A woman standing, ready to lift",
    ),
}

PROGRESSIONS: dict[str, list[str]] = {
    "tandem-stance": ["single-leg-stance"],
    "wall-push-up": [],
    "clamshell": ["standing-hip-abduction"],
}

TEMPLATES: dict[str, tuple[str, list[tuple[str, dict[str, Any]]]]] = {
    "Hip flexor release": (
        "Loosen and lengthen the front of the hips.",
        [("lunge-hip-flexor-stretch", {"times_per_day": 2}), ("pendulum-leg-swings", {})],
    ),
    PROGRAM_TITLE: (
        "Three exercises to strengthen the glutes.",
        [("glute-bridge", {}), ("clamshell", {}), ("sit-to-stand", {})],
    ),
}


def _exercises(therapist: TherapistProfile | None) -> dict[str, Exercise]:
    flags = {f.code: f for f in PrecautionFlag.objects.all()}
    made = {}
    for slug, (fields, codes, pose, alt) in EXERCISES.items():
        values = {"slug": slug, "is_public": True, **fields}
        chosen = [flags[c] for c in codes]
        exercise = Exercise.objects.filter(slug=slug).first()
        if exercise is None:
            exercise = exercise_create(therapist=therapist, fields=values, flags=chosen)
        else:
            keep = list(exercise.progressions.all())
            exercise = exercise_update(
                exercise=exercise, fields=values, flags=chosen, progressions=keep
            )
        if not exercise.images.exists():
            exercise_image_add(
                exercise=exercise, upload=io.BytesIO(picture_png(pose)), alt_text=alt
            )
        made[slug] = exercise
    for slug, harder in PROGRESSIONS.items():
        made[slug].progressions.set([made[h] for h in harder])
    return made


def _item(exercise: Exercise, changes: dict[str, Any]) -> ItemInput:
    dose = replace(Dose.of(exercise), **changes)
    if dose.rest_seconds is None:
        dose = replace(dose, rest_seconds=0)
    return ItemInput(exercise=exercise, dose=dose)


def seed() -> None:
    therapist = TherapistProfile.objects.filter(user__email=THERAPIST_EMAIL).first()
    exercises = _exercises(therapist)
    for name, (description, rows) in TEMPLATES.items():
        if not ProgramTemplate.objects.filter(name=name).exists():
            template_create(
                owner=therapist,
                name=name,
                description=description,
                weeks=6,
                items=[_item(exercises[slug], changes) for slug, changes in rows],
            )
    patient = User.objects.filter(email=PATIENT_EMAIL).first()
    if therapist is None or patient is None:
        return
    patient_condition_add(
        therapist=therapist,
        patient=patient,
        condition=Condition.objects.get(code="osteoporosis"),
        note="Demo: T-score -2.6 at the hip, no fractures.",
    )
    if not Program.objects.filter(patient=patient, title=PROGRAM_TITLE).exists():
        template = ProgramTemplate.objects.get(name=PROGRAM_TITLE)
        program_assign(
            therapist=therapist,
            patient=patient,
            title=PROGRAM_TITLE,
            instructions="Do these on your bed if the floor is hard to reach.",
            start_date=patient_today(patient_id=patient.pk) - timedelta(days=14),
            weeks=6,
            template=template,
            items=[_item(i.exercise, {}) for i in template.items.select_related("exercise")],
        )
    seed_logs(program=Program.objects.filter(patient=patient, title=PROGRAM_TITLE).latest("pk"))
