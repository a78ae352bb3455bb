"""Article pages come from the whole-page cache for anonymous readers, and are right:
publish, edit, unpublish and a change to an embedded exercise show at once."""

import pytest
from django.test import Client

from education.services import article_draft_from, article_save
from exercises.services import exercise_update
from practice.core.page_cache import STATUS_HEADER
from tests.education.helpers import article_make
from tests.exercises.helpers import exercise_make

pytestmark = pytest.mark.django_db


def get(url: str):
    return Client().get(url)


@pytest.mark.parametrize(
    "url", ["/articles/", "/articles/feed/", "/articles/feed/atom/", "/sitemap.xml", "/robots.txt"]
)
def test_public_pages_are_served_from_the_cache(therapist, url):
    article_make(therapist)
    get(url)
    assert get(url)[STATUS_HEADER] == "hit"


def test_publish_edit_and_unpublish_show_at_once(therapist):
    article = article_make(therapist, title="Old title", status="draft")
    get("/articles/")
    assert get("/articles/")[STATUS_HEADER] == "hit"

    draft = article_draft_from(article)
    draft.status = "published"
    article = article_save(article=article, draft=draft, editor=therapist).article
    assert "Old title" in get("/articles/").content.decode()
    get(article.get_absolute_url())
    assert get(article.get_absolute_url())[STATUS_HEADER] == "hit"

    draft = article_draft_from(article)
    draft.title = "New title"
    article = article_save(article=article, draft=draft, editor=therapist).article
    assert "New title" in get(article.get_absolute_url()).content.decode()
    assert "New title" in get("/articles/feed/").content.decode()

    draft.status = "archived"
    article_save(article=article, draft=draft, editor=therapist)
    assert get(article.get_absolute_url()).status_code == 404
    assert "New title" not in get("/articles/").content.decode()


def test_a_change_to_an_embedded_exercise_shows_at_once(therapist):
    exercise = exercise_make(name="Glute bridge")
    article = article_make(therapist, body=f"[[exercise:{exercise.slug}]]")
    get(article.get_absolute_url())
    assert get(article.get_absolute_url())[STATUS_HEADER] == "hit"
    exercise_update(exercise=exercise, fields={"name": "Hip bridge"}, flags=[], progressions=[])
    assert "Hip bridge" in get(article.get_absolute_url()).content.decode()


def test_signed_in_readers_get_a_fresh_page(therapist, therapist_client):
    article = article_make(therapist)
    therapist_client.get(article.get_absolute_url())
    assert STATUS_HEADER not in therapist_client.get(article.get_absolute_url())
