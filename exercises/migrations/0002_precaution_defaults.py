"""The built-in precaution flags (CLINICAL.md §6, TFTF 2015 Table 5) and conditions with
their default mapping (CLINICAL.md rules 9 and 10; SSS 2022 for impact). The therapist
edits the mapping and adds flags and conditions; this only fills an empty library."""

from django.db import migrations

FLAGS = [
    ("FLEXION_LOADED", "Loaded spinal flexion", "Rounding the back forward under a load, as in a sit-up or lifting from the floor with a round back."),
    ("FLEXION_END_RANGE", "End-range spinal flexion", "Bending the spine forward as far as it goes, as in touching the toes or a yoga forward bend."),
    ("ROTATION_LOADED_OR_END_RANGE", "Loaded or end-range spinal rotation", "Twisting the trunk under a load or as far as it goes."),
    ("BEND_TWIST_LIFT", "Bending and twisting while lifting", "Lifting while bending and twisting at the same time."),
    ("IMPACT_MODERATE", "Moderate impact", "Jumping, hopping, stamping or jogging."),
    ("IMPACT_HIGH", "High impact", "Running, jumping from a height, high-impact aerobics."),
    ("FLOOR_TRANSITION", "Floor transition", "Getting down to the floor and back up."),
    ("BALANCE_UNSUPPORTED", "Balance without support", "Balancing with nothing within reach to hold."),
]

ACK, BLOCK = "acknowledge", "block"
SPINE = ["FLEXION_LOADED", "FLEXION_END_RANGE", "ROTATION_LOADED_OR_END_RANGE", "BEND_TWIST_LIFT"]

CONDITIONS = [
    (
        "osteopenia",
        "Osteopenia",
        "Low bone density, below the osteoporosis threshold.",
        [("FLEXION_LOADED", ACK), ("BEND_TWIST_LIFT", ACK), ("IMPACT_HIGH", ACK)],
    ),
    (
        "osteoporosis",
        "Osteoporosis",
        "Osteoporosis without a spine fracture.",
        [*((code, ACK) for code in SPINE), ("IMPACT_HIGH", ACK)],
    ),
    (
        "vertebral_fracture",
        "Osteoporosis with a spine (vertebral) fracture",
        "Impact is limited to brisk walking (SSS 2022).",
        [*((code, ACK) for code in SPINE), ("FLOOR_TRANSITION", ACK), ("IMPACT_MODERATE", BLOCK), ("IMPACT_HIGH", BLOCK)],
    ),
    (
        "high_fracture_risk",
        "High fracture risk",
        "As the therapist judges it (prior fragility fracture, FRAX, T-score).",
        [*((code, ACK) for code in SPINE), ("IMPACT_MODERATE", ACK), ("IMPACT_HIGH", ACK)],
    ),
    (
        "hip_replacement_recent",
        "Recent hip replacement",
        "Follow the surgeon's hip precautions; add flags for them as needed.",
        [("FLOOR_TRANSITION", ACK), ("BALANCE_UNSUPPORTED", ACK), ("IMPACT_MODERATE", ACK), ("IMPACT_HIGH", BLOCK)],
    ),
    (
        "falls_history",
        "Falls in the past year",
        "One or more falls in the last twelve months.",
        [("BALANCE_UNSUPPORTED", ACK), ("FLOOR_TRANSITION", ACK)],
    ),
]


def defaults_create(apps, schema_editor):
    PrecautionFlag = apps.get_model("exercises", "PrecautionFlag")
    Condition = apps.get_model("exercises", "Condition")
    ConditionPrecaution = apps.get_model("exercises", "ConditionPrecaution")
    flags = {}
    for code, name, description in FLAGS:
        flags[code], _ = PrecautionFlag.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "is_builtin": True}
        )
    for code, name, description, mapping in CONDITIONS:
        condition, created = Condition.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "is_builtin": True}
        )
        if created:
            for flag_code, action in mapping:
                ConditionPrecaution.objects.create(
                    condition=condition, flag=flags[flag_code], action=action
                )


class Migration(migrations.Migration):
    dependencies = [("exercises", "0001_initial")]

    operations = [migrations.RunPython(defaults_create, migrations.RunPython.noop)]
