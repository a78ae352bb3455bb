"""The public library: /exercises/ and /exercises/<slug>/ with its "try it" timer."""

import pytest
from django.test import Client

from tests.exercises.helpers import exercise_make, picture_add

pytestmark = pytest.mark.django_db


def test_a_public_exercise_page_shows_steps_dose_pictures_and_the_timer(client: Client) -> None:
    swings = exercise_make(
        name="Pendulum leg swings",
        kind="dynamic_stretch",
        sets=1,
        reps=None,
        duration_seconds=60,
        side="both",
        rest_seconds=None,
        days_per_week=7,
        rpe_target=None,
        steps=["Hold the back of a chair.", "Swing one leg forward and back."],
        cues=["Keep your trunk upright."],
        flags=("BALANCE_UNSUPPORTED",),
    )
    picture_add(swings, alt="Standing at a chair, one leg swinging")
    response = client.get("/exercises/pendulum-leg-swings/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "For 1 minute on each side, once a day, every day." in html
    assert "<li>Swing one leg forward and back.</li>" in html
    assert 'alt="Standing at a chair, one leg swinging"' in html
    assert "Balance without support" in html
    # The timer is hidden without JavaScript and carries the dose for the script.
    assert 'class="try-it" aria-labelledby="try-heading" hidden' in html
    assert 'data-duration="60"' in html
    assert 'data-side="both"' in html
    assert "exercises/try_it.js" in html
    assert "<script>" not in html
    assert "style=" not in html


def test_private_and_unknown_exercises_are_the_sites_404(client: Client) -> None:
    exercise_make(name="Secret stretch", is_public=False)
    for url in ("/exercises/secret-stretch/", "/exercises/no-such-thing/"):
        response = client.get(url)
        assert response.status_code == 404
        assert "404.html" in [t.name for t in response.templates]


def test_the_index_lists_public_exercises_and_filters_them(client: Client) -> None:
    exercise_make(name="Glute bridge", body_regions=["glutes", "hip"])
    exercise_make(name="Clamshell", body_regions=["hip"])
    exercise_make(
        name="Calf stretch",
        kind="static_stretch",
        hold_seconds=30,
        reps=2,
        sets=1,
        body_regions=["lower_leg"],
    )
    exercise_make(name="Private one", is_public=False)
    html = client.get("/exercises/").content.decode()
    assert "Glute bridge" in html
    assert "Clamshell" in html
    assert "Calf stretch" in html
    assert "Private one" not in html
    assert "3 exercises." in html
    hips = client.get("/exercises/", {"region": "hip"}).content.decode()
    assert "Glute bridge" in hips
    assert "Clamshell" in hips
    assert "Calf stretch" not in hips
    stretches = client.get("/exercises/", {"kind": "static_stretch"}).content.decode()
    assert "Calf stretch" in stretches
    assert "Clamshell" not in stretches
    words = client.get("/exercises/", {"q": "clam"}).content.decode()
    assert "Clamshell" in words
    assert "Glute bridge" not in words
    nothing = client.get("/exercises/", {"q": "zzz", "region": "bogus"}).content.decode()
    assert "No exercise matches" in nothing


def test_public_exercise_pages_are_cached_and_a_change_shows_at_once() -> None:
    from practice.core.page_cache import STATUS_HEADER

    bridge = exercise_make(name="Glute bridge")
    assert Client().get("/exercises/glute-bridge/").headers[STATUS_HEADER] == "stored"
    assert Client().get("/exercises/glute-bridge/").headers[STATUS_HEADER] == "hit"
    from exercises.services import exercise_update

    exercise_update(exercise=bridge, fields={"summary": "Now on a bed."}, flags=[], progressions=[])
    fresh = Client().get("/exercises/glute-bridge/")
    assert fresh.headers[STATUS_HEADER] == "stored"
    assert "Now on a bed." in fresh.content.decode()
