"""Readers: the article list (topics, pages), the article page and its metadata, 404s."""

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from education.models import Article
from tests.education.helpers import article_make, html_of, image_upload, series_make, topic_make

pytestmark = pytest.mark.django_db


def soup(response) -> Any:
    return html_of(response.content.decode())


def test_list_shows_published_articles_newest_first_with_card_details(therapist):
    old = article_make(therapist, title="Tight hip flexors")
    new = article_make(therapist, title="Weak glutes", hero_image=image_upload(), hero_alt="A mat")
    article_make(therapist, title="A draft", status=Article.Status.DRAFT)
    article_make(therapist, title="Coming soon", status=Article.Status.SCHEDULED)

    page = soup(Client().get("/articles/"))

    titles = [h.get_text(strip=True) for h in page.select(".article-card__title")]
    assert titles == [new.title, old.title]
    card = page.select_one(".article-card")
    assert card.select_one("img")["alt"] == "A mat"
    assert "-480.jpg 480w" in card.select_one("img")["srcset"]
    meta = card.select_one(".article-card__meta").get_text(" ", strip=True)
    assert "By Ruth Calder" in meta
    assert "1 minute to read" in meta
    assert new.summary in card.get_text()


def test_topic_filter_and_topic_page(therapist):
    hips = topic_make("Hips and glutes")
    bones = topic_make("Bone health")
    article_make(therapist, title="Bridges", topics=[hips])
    article_make(therapist, title="Calcium", topics=[bones])

    for url in ("/articles/?topic=hips-and-glutes", "/articles/topics/hips-and-glutes/"):
        page = soup(Client().get(url))
        assert [h.get_text(strip=True) for h in page.select(".article-card__title")] == ["Bridges"]
        current = page.select_one('.topic-nav a[aria-current="page"]')
        assert current.get_text(" ", strip=True).startswith("Hips and glutes")


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(
    "url",
    [
        "/articles/no-such-article/",
        "/articles/topics/no-such-topic/",
        "/articles/?topic=x",
        "/articles/series/no-such-series/",
    ],
)
def test_unknown_slug_and_topic_are_404_pages_in_the_site_layout(settings, url, debug, therapist):
    settings.DEBUG = debug
    response = Client().get(url)
    assert response.status_code == 404
    page = soup(response)
    assert page.select_one("h1").get_text() == "We cannot find that page"
    assert page.select_one("header a[href='/articles/']") is not None  # the site's navigation


def test_pagination_keeps_the_topic_and_survives_bad_page_numbers(therapist):
    hips = topic_make("Hips")
    for _ in range(14):
        article_make(therapist, topics=[hips])
    page = soup(Client().get("/articles/?topic=hips"))
    assert len(page.select(".article-card")) == 12
    older = page.select_one('a[rel="next"]')["href"]
    assert "topic=hips" in older
    assert "page=2" in older
    assert len(soup(Client().get(f"/articles/{older}")).select(".article-card")) == 2
    for bad in ("abc", "999", "-1", "1" * 50):
        assert Client().get(f"/articles/?page={bad}").status_code == 200


def test_article_page_metadata(therapist, settings):
    settings.SITE_URL = "https://practice.example"
    bones = topic_make("Bone health")
    article = article_make(
        therapist,
        title="Exercise for strong bones",
        summary="What helps and what to avoid.",
        body="## Strength\n\nLift things.",
        topics=[bones],
        hero_image=image_upload(),
        hero_alt="Two light dumbbells",
        reviewed_on=date(2026, 3, 1),
        reviewed_by="Dr. Jo Okafor, PT",
        references="Giangregorio 2014, Too Fit To Fracture\nhttps://example.org/guideline",
    )
    page = soup(Client().get(article.get_absolute_url()))

    assert page.select_one("h1").get_text() == "Exercise for strong bones"
    assert page.select_one('link[rel="canonical"]')["href"] == (
        "https://practice.example/articles/exercise-for-strong-bones/"
    )
    assert page.select_one('meta[name="description"]')["content"] == article.summary
    assert page.select_one('meta[property="og:title"]')["content"] == article.title
    og_image = page.select_one('meta[property="og:image"]')["content"]
    assert og_image.startswith("https://practice.example/media/articles/heroes/")
    hero = page.select_one(".article__hero img")
    assert hero["alt"] == "Two light dumbbells"
    assert hero["srcset"].count("w,") == 2  # 480, 960 and 1600 pixels wide
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Article"
    assert data["headline"] == article.title
    assert data["author"]["name"] == "Ruth Calder"
    assert article.published_at is not None
    assert data["datePublished"] == article.published_at.isoformat()
    assert page.select_one('link[rel="stylesheet"][media="print"]')
    review = page.select_one(".article__review").get_text(" ", strip=True)
    assert "Reviewed on March 1, 2026 by Dr. Jo Okafor, PT" in review
    assert page.select_one('.article__references a[href="https://example.org/guideline"]')
    assert "Bone health" in page.select_one(".article__topics").get_text()
    byline = page.select_one(".article__byline").get_text("", strip=True)
    assert "Ruth Calder, PT, DPT" in byline
    assert "1 minute to read" in byline


def test_article_ends_with_both_offers(therapist):
    article = article_make(therapist)
    page = soup(Client().get(article.get_absolute_url()))
    offers = page.select_one(".article-offers")
    hrefs = {a["href"] for a in offers.select("a")}
    assert "/consults/book/" in hrefs
    signup = offers.select_one("form.signup-form")
    assert signup["action"] == "/guide/signup/"
    assert signup.select_one('input[name="source"]')["value"] == f"article:{article.slug}"
    assert signup.select_one('input[name="csrfmiddlewaretoken"]') is None  # a cacheable page


def test_the_guide_sign_up_works_from_an_article_with_the_longest_address(therapist):
    article = article_make(therapist, slug="s" * 200)
    page = soup(Client().get(article.get_absolute_url()))
    signup = page.select_one(".article-offers form.signup-form")
    data = {field["name"]: field.get("value", "") for field in signup.select("input[name]")}
    data.update(email="reader@example.com", consent="on")
    response = Client().post(signup["action"], data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/guide/check-your-email/"


def test_series_earlier_parts_and_related_articles(therapist):
    hips = topic_make("Hips")
    series = series_make("Hips and glutes")
    one = article_make(therapist, title="Part one", series=series, topics=[hips])
    article_make(therapist, title="Unpublished part", series=series, status="draft")
    three = article_make(therapist, title="Part three", series=series, topics=[hips])
    other = article_make(therapist, title="Another hips article", topics=[hips])
    page = soup(Client().get(three.get_absolute_url()))
    earlier = [a.get_text() for a in page.select("#earlier-heading + ol a")]
    assert earlier == [f"Part 1: {one.title}"]
    assert page.select_one(".article__series").get_text() == "Hips and glutes, part 3"
    related = [a.get_text() for a in page.select("#related-heading + ul a")]
    assert related[0] == other.title


def test_json_ld_cannot_be_broken_out_of_by_a_title_or_summary(therapist):
    article = article_make(
        therapist,
        title="Hips </script><script>alert(1)</script> & <!-- knees",
        summary="A </SCRIPT ><img src=x onerror=alert(2)> summary",
    )
    html = Client().get(article.get_absolute_url()).content.decode()
    page = html_of(html)

    blocks = page.select('script[type="application/ld+json"]')
    assert len(blocks) == 1
    data = json.loads(blocks[0].string)
    assert data["headline"] == article.title
    assert data["description"] == article.summary
    # The only scripts are the data block and files from /static/ (nothing inline runs).
    inline = [s for s in page.select("script") if not s.get("src")]
    assert inline == blocks
    assert page.select("img[onerror]") == []
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block
    assert ">" not in block


def test_changed_slug_keeps_the_old_address_with_a_301(therapist):
    from education.services import article_draft_from, article_save

    article = article_make(therapist, title="Dead butt syndrome")
    draft = article_draft_from(article)
    draft.slug = "weak-glutes"
    article_save(article=article, draft=draft, editor=therapist)

    response = Client().get("/articles/dead-butt-syndrome/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/weak-glutes/"
    assert Client().get("/articles/weak-glutes/").status_code == 200


def test_drafts_scheduled_and_archived_articles_are_404_for_the_public(therapist):
    for status in ("draft", "scheduled", "archived"):
        article = article_make(therapist, status=status)
        assert Client().get(f"/articles/{article.slug}/").status_code == 404
