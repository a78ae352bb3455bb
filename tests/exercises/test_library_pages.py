"""The therapist's library pages: write, illustrate, duplicate; flags and conditions."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from exercises.models import Condition, ConditionPrecaution, Exercise, PrecautionFlag
from tests.exercises.helpers import exercise_make, png_bytes

pytestmark = pytest.mark.django_db


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "name": "Lunge hip-flexor stretch",
        "slug": "",
        "kind": "static_stretch",
        "position": "standing_supported",
        "steps": "Hold the counter.\n\nStep one foot back.\n",
        "sets": "1",
        "reps": "3",
        "hold_seconds": "15",
        "side": "both",
        "times_per_day": "2",
        "days_per_week": "7",
        "rpe_scale": "cr10",
        "is_public": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_therapist_adds_an_exercise_and_sees_advice_not_refusal(
    therapist_client: Client,
) -> None:
    response = therapist_client.post("/exercises/manage/new/", form_data(), follow=True)
    html = response.content.decode()
    exercise = Exercise.objects.get()
    assert exercise.slug == "lunge-hip-flexor-stretch"
    assert exercise.steps == ["Hold the counter.", "Step one foot back."]
    assert "Lunge hip-flexor stretch is in the library." in html
    assert "This stretch adds up to 45 seconds per side" in html
    public = Client().get("/exercises/lunge-hip-flexor-stretch/").content.decode()
    assert "Hold 15 seconds, 3 times on each side, twice a day, every day." in public


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"hold_seconds": "700"}, "The hold must be between 1 and 600 seconds."),
        ({"reps": "", "hold_seconds": ""}, "Give the repetitions, a hold time or a time per set."),
        ({"times_per_day": "3"}, "That makes 21 sessions a week"),
        ({"weekdays": ["1", "3"], "days_per_week": "7"}, None),
        ({"steps": ""}, "This field is required."),
        ({"slug": "manage"}, "This address is taken by a page of the site."),
        ({"video_url": "http://example.com/v"}, "Use a secure link starting with https://."),
        ({"sets": "abc"}, "Enter a whole number."),
    ],
)
def test_bad_input_is_a_field_error_and_keeps_what_she_typed(
    therapist_client: Client, changes: dict[str, Any], message: str | None
) -> None:
    response = therapist_client.post("/exercises/manage/new/", form_data(**changes))
    if message is None:  # chosen weekdays set the days a week
        assert Exercise.objects.get().days_per_week == 2
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="Lunge hip-flexor stretch"' in html
    assert not Exercise.objects.exists()


def test_pictures_need_a_description_and_must_be_pictures(therapist_client: Client) -> None:
    exercise = exercise_make(name="Bridge")
    url = f"/exercises/manage/{exercise.pk}/pictures/"
    fine = SimpleUploadedFile("b.png", png_bytes((3000, 2000)).getvalue(), "image/png")
    response = therapist_client.post(url, {"image": fine, "alt_text": "Hips up"}, follow=True)
    assert "Added the picture." in response.content.decode()
    image = exercise.images.get()
    assert image.alt_text == "Hips up"
    assert max(image.image.width, image.image.height) == 1600
    text = SimpleUploadedFile("b.png", b"not a picture", "image/png")
    refused = therapist_client.post(url, {"image": text, "alt_text": "x"})
    assert refused.status_code == 400
    assert "Upload a valid image" in refused.content.decode()
    missing = SimpleUploadedFile("b.png", png_bytes().getvalue(), "image/png")
    no_alt = therapist_client.post(url, {"image": missing, "alt_text": ""})
    assert no_alt.status_code == 400
    assert exercise.images.count() == 1
    therapist_client.post(f"/exercises/manage/{exercise.pk}/pictures/{image.pk}/remove/")
    assert not exercise.images.exists()


def test_duplicating_makes_a_private_copy_with_flags_and_pictures(
    therapist_client: Client,
) -> None:
    from tests.exercises.helpers import picture_add

    bridge = exercise_make(name="Glute bridge", flags=("FLOOR_TRANSITION",))
    picture_add(bridge)
    response = therapist_client.post(f"/exercises/manage/{bridge.pk}/duplicate/", follow=True)
    copy = Exercise.objects.exclude(pk=bridge.pk).get()
    assert (copy.name, copy.slug, copy.is_public) == (
        "Glute bridge (copy)",
        "glute-bridge-copy",
        False,
    )
    assert [f.code for f in copy.precaution_flags.all()] == ["FLOOR_TRANSITION"]
    assert copy.images.get().alt_text == bridge.images.get().alt_text
    assert "Made a private copy" in response.content.decode()
    therapist_client.post(f"/exercises/manage/{bridge.pk}/duplicate/")
    assert Exercise.objects.filter(slug="glute-bridge-copy-2").exists()


def test_the_therapist_adds_flags_and_maps_conditions(therapist_client: Client) -> None:
    therapist_client.post(
        "/exercises/manage/precautions/",
        {"action": "flag", "flag-code": "HIP_FLEXION_PAST_90", "flag-name": "Hip bent past 90°"},
    )
    flag = PrecautionFlag.objects.get(code="HIP_FLEXION_PAST_90")
    assert not flag.is_builtin
    hip = Condition.objects.get(code="hip_replacement_recent")
    therapist_client.post(
        "/exercises/manage/precautions/",
        {"action": "mapping", f"map-{hip.pk}-{flag.pk}": "block"},
    )
    assert ConditionPrecaution.objects.get(condition=hip, flag=flag).action == "block"
    impact = PrecautionFlag.objects.get(code="IMPACT_HIGH")
    therapist_client.post(
        "/exercises/manage/precautions/", {"action": "mapping", f"map-{hip.pk}-{impact.pk}": ""}
    )
    assert not ConditionPrecaution.objects.filter(condition=hip, flag=impact).exists()
    html = therapist_client.get("/exercises/manage/precautions/").content.decode()
    assert "Hip bent past 90°" in html
