"""[[article:..]] links that survive slug changes; [[exercise:..]] cards from the library."""

from typing import Any

import pytest
from django.test import Client

from education.selectors import article_body_html
from education.services import article_draft_from, article_save
from tests.education.helpers import article_make, html_of
from tests.exercises.helpers import exercise_make, picture_add

pytestmark = pytest.mark.django_db


def body_of(article) -> Any:
    page = html_of(Client().get(article.get_absolute_url()).content)
    return page.select_one(".article__body")


def test_article_link_follows_the_article_through_a_slug_change(therapist):
    earlier = article_make(therapist, title="Tight hip flexors", slug="hip-flexors")
    later = article_make(therapist, body="Back in September I wrote about [[article:hip-flexors]].")
    draft = article_draft_from(earlier)
    draft.slug, draft.title = "tight-hip-flexors", "Tight hip flexors and the iliopsoas"
    article_save(article=earlier, draft=draft, editor=therapist)

    link = body_of(later).select_one("a")
    assert link["href"] == "/articles/tight-hip-flexors/"
    assert link.get_text() == "Tight hip flexors and the iliopsoas"
    assert "Back in September I wrote about" in body_of(later).get_text()


def test_links_to_unpublished_or_unknown_articles_render_nothing_broken(therapist):
    draft = article_make(therapist, status="draft", slug="not-yet")
    article = article_make(therapist, body="See [[article:not-yet]] and [[article:nowhere]].")
    body = body_of(article)
    assert body.select("a") == []
    assert "[[" not in body.get_text()
    assert draft.title not in body.get_text()


def test_exercise_line_renders_the_card_with_dose_and_a_try_it_link(therapist):
    exercise = exercise_make(name="Glute bridge", sets=2, reps=10)
    picture_add(exercise, alt="A woman lifting her hips off a mat")
    article = article_make(therapist, body=f"Try this:\n\n[[exercise:{exercise.slug}]]\n\nDone.")
    body = body_of(article)
    card = body.select_one(".article-exercise")
    assert card.select_one("img")["alt"] == "A woman lifting her hips off a mat"
    assert "10" in card.select_one(".exercise-card__dose").get_text()
    try_it = card.find("a", string=lambda s: s and s.startswith("Try it"))
    assert try_it["href"] == exercise.get_absolute_url()
    assert Client().get(try_it["href"]).status_code == 200


def test_private_or_unknown_exercises_render_nothing_and_warn_the_writer(therapist):
    private = exercise_make(name="Private one", is_public=False)
    body = f"[[exercise:{private.slug}]]\n\n[[exercise:no-such-move]]\n\nText [[article:gone]]."
    from education.services import ArticleDraft

    saved = article_save(
        article=None,
        draft=ArticleDraft(
            title="Embeds",
            summary="s",
            body=body,
            author=therapist.therapist_profile,
            status="published",
        ),
        editor=therapist,
    )
    assert len(saved.warnings) == 3
    assert any("no-such-move" in w and "no public exercise" in w for w in saved.warnings)
    assert any(private.slug in w for w in saved.warnings)
    assert any("[[article:gone]]" in w for w in saved.warnings)
    rendered = body_of(saved.article)
    assert rendered.select(".article-exercise") == []
    assert "[[" not in rendered.get_text()


def test_body_html_for_newsletters_makes_links_absolute(therapist):
    exercise = exercise_make(name="Clamshell")
    other = article_make(therapist, slug="weak-glutes")
    article = article_make(
        therapist, body=f"See [[article:{other.slug}]].\n\n[[exercise:{exercise.slug}]]"
    )
    html = article_body_html(article, base_url="https://practice.example")
    hrefs = [a["href"] for a in html_of(html).select("a")]
    assert "https://practice.example/articles/weak-glutes/" in hrefs
    assert f"https://practice.example{exercise.get_absolute_url()}" in hrefs
    assert all(href.startswith("https://") for href in hrefs)
