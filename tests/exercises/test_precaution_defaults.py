import pytest

from exercises.models import Condition, ConditionPrecaution, PrecautionFlag

pytestmark = pytest.mark.django_db


def test_the_eight_clinical_flags_exist_as_data() -> None:
    assert set(PrecautionFlag.objects.values_list("code", flat=True)) >= {
        "FLEXION_LOADED",
        "FLEXION_END_RANGE",
        "ROTATION_LOADED_OR_END_RANGE",
        "BEND_TWIST_LIFT",
        "IMPACT_MODERATE",
        "IMPACT_HIGH",
        "FLOOR_TRANSITION",
        "BALANCE_UNSUPPORTED",
    }


def test_a_vertebral_fracture_blocks_impact_and_asks_for_spine_movements() -> None:
    fracture = Condition.objects.get(code="vertebral_fracture")
    actions = {p.flag.code: p.action for p in fracture.precautions.select_related("flag").all()}
    assert actions["IMPACT_MODERATE"] == actions["IMPACT_HIGH"] == ConditionPrecaution.Action.BLOCK
    for code in ("FLEXION_LOADED", "ROTATION_LOADED_OR_END_RANGE", "BEND_TWIST_LIFT"):
        assert actions[code] == ConditionPrecaution.Action.ACKNOWLEDGE
