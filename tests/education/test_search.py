"""Search: PostgreSQL full-text search, ranked (title over summary over body), with
highlighted snippets; any input gives a normal results page."""

from typing import Any

import pytest
from django.test import Client

from tests.education.helpers import article_make, html_of

pytestmark = pytest.mark.django_db


def results(q: str) -> Any:
    response = Client().get("/articles/", {"q": q})
    assert response.status_code == 200
    return html_of(response.content)


def test_ranked_by_where_the_words_are_and_stemmed(therapist):
    in_body = article_make(
        therapist, title="Sitting all day", body="Long hours shorten the hip flexors at the front."
    )
    in_title = article_make(therapist, title="Stretching tight hip flexors", body="Gently.")
    article_make(therapist, title="Calcium", body="Food first.")
    page = results("hip flexor")  # "flexor" finds "flexors"
    titles = [h.get_text(strip=True) for h in page.select(".article-card__title")]
    assert titles == [in_title.title, in_body.title]
    assert "2 articles found" in page.select_one(".article-results__count").get_text()


def test_snippets_highlight_the_words_and_escape_the_text(therapist):
    article_make(
        therapist,
        title="Balance",
        body="Stand at the counter <b>bold</b> and practise **balance** on one leg each day.",
    )
    page = results("balance")
    snippet = page.select_one(".article-card__snippet")
    assert [m.get_text() for m in snippet.select("mark")] == ["balance"]
    assert snippet.select("b") == []  # the body's markup is text in a snippet, never HTML
    assert "**" not in snippet.get_text()


@pytest.mark.parametrize(
    "q",
    [
        "",
        " ",
        "x" * 5000,
        "'; DROP TABLE education_article; --",
        '" OR 1=1 --',
        "hip & | ! ( ) : * <-> flexor",
        "-",
        '"""',
        "%_\\",
        "\x00\x01 hip",
        "<script>alert(1)</script>",
        "ümlaut café 漢字",
    ],
)
def test_odd_input_gives_a_normal_results_page(therapist, q):
    article_make(therapist, title="Hip flexors")
    page = results(q)
    assert page.select_one("#article-search-q") is not None
    assert page.find("script", string=lambda s: s and "alert" in s) is None


def test_search_within_a_topic_and_no_results_message(therapist):
    from tests.education.helpers import topic_make

    hips = topic_make("Hips")
    article_make(therapist, title="Hip flexors", topics=[hips])
    article_make(therapist, title="Hip fractures")
    response = Client().get("/articles/topics/hips/", {"q": "hip"})
    titles = [
        h.get_text(strip=True) for h in html_of(response.content).select(".article-card__title")
    ]
    assert titles == ["Hip flexors"]
    message = results("zebra").select_one(".article-results__count").get_text()
    assert "No articles match “zebra”" in message


def test_the_fallback_without_postgresql_matches_every_word_title_first(therapist, monkeypatch):
    """SQLite (the no-configuration default) has no full-text search: a case-insensitive
    match of every word, title matches first, a snippet cut around the first match."""
    monkeypatch.setattr("education.search.uses_postgres", lambda: False)
    in_body = article_make(therapist, title="Sitting", body="Sitting shortens the Hip flexors.")
    in_title = article_make(therapist, title="Hip flexors", body="Stretch them.")
    article_make(therapist, title="Hips", body="Nothing about the other word.")
    page = results("hip flexors")
    titles = [h.get_text(strip=True) for h in page.select(".article-card__title")]
    assert titles == [in_title.title, in_body.title]
    snippet = page.select(".article-card__snippet")[1]
    assert [m.get_text() for m in snippet.select("mark")] == ["Hip", "flexors"]
