"""Contract C3: exercise cards for article embeds, public exercises only, in one query."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from exercises.selectors import exercise_cards
from tests.exercises.helpers import exercise_make, picture_add

pytestmark = pytest.mark.django_db


def test_cards_for_public_exercises_only_in_one_query() -> None:
    bridge = exercise_make(name="Glute bridge", summary="Lift your hips off the bed.")
    picture_add(bridge, alt="Lying on her back, hips lifted")
    picture_add(bridge, alt="The second picture")
    exercise_make(name="Clamshell")
    exercise_make(name="Secret", is_public=False)
    with CaptureQueriesContext(connection) as queries:
        cards = exercise_cards(slugs=["glute-bridge", "clamshell", "secret", "nope"])
    assert len(queries) == 1
    assert set(cards) == {"glute-bridge", "clamshell"}
    card = cards["glute-bridge"]
    assert card.name == "Glute bridge"
    assert card.url == "/exercises/glute-bridge/"
    assert card.image_url.startswith("/media/exercises/glute-bridge")
    assert card.image_alt == "Lying on her back, hips lifted"
    assert card.dose_text.startswith("3 sets of 10 repetitions, once a day, 3 days a week.")
    assert cards["clamshell"].image_url == cards["clamshell"].image_alt == ""


def test_no_slugs_no_query() -> None:
    with CaptureQueriesContext(connection) as queries:
        assert exercise_cards(slugs=[]) == {}
    assert len(queries) == 0


def test_the_card_template_shows_the_picture_with_its_description() -> None:
    bridge = exercise_make(name="Glute bridge")
    picture_add(bridge, alt="Hips lifted")
    html = render_to_string(
        "exercises/includes/exercise_card.html",
        {"card": exercise_cards(slugs=["glute-bridge"])["glute-bridge"]},
    )
    assert 'alt="Hips lifted"' in html
    assert 'href="/exercises/glute-bridge/"' in html
    assert "3 sets of 10 repetitions" in html
