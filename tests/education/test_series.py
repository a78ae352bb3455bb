"""The series page: its published parts in order, linked from each part, in the sitemap,
served from the page cache and refreshed when a part is published."""

from xml.etree import ElementTree

import pytest
from django.test import Client

from education.services import article_draft_from, article_save
from practice.core.page_cache import STATUS_HEADER
from tests.education.helpers import article_make, html_of, series_make

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_series_page_lists_its_published_parts_in_order(therapist):
    series = series_make("Hips and glutes")
    series.description = "Strong hips, step by step."
    series.save()
    three = article_make(therapist, title="Bridges", series=series, series_position=3)
    one = article_make(therapist, title="Weak glutes", series=series, series_position=1)
    article_make(therapist, title="Unfinished", series=series, series_position=2, status="draft")
    article_make(therapist, title="Not in the series")

    response = Client().get("/articles/series/hips-and-glutes/")

    assert response.status_code == 200
    page = html_of(response.content.decode())
    assert page.select_one("h1").get_text(strip=True) == "Hips and glutes"
    assert "Strong hips, step by step." in page.get_text()
    parts = page.select(".series-parts > li")
    assert [p.select_one("a").get_text(strip=True) for p in parts] == ["Weak glutes", "Bridges"]
    assert [p.select_one("a")["href"] for p in parts] == [
        one.get_absolute_url(),
        three.get_absolute_url(),
    ]
    assert "Part 1" in parts[0].get_text()
    assert "Part 3" in parts[1].get_text()
    assert one.summary in parts[0].get_text()


def test_each_part_links_to_its_series_page(therapist):
    series = series_make("Bone health basics")
    article = article_make(therapist, series=series)
    page = html_of(Client().get(article.get_absolute_url()).content.decode())
    link = page.select_one(".article__series a")
    assert link["href"] == "/articles/series/bone-health-basics/"
    assert "Bone health basics" in link.get_text()


@pytest.mark.parametrize("debug", [False, True])
def test_a_series_without_published_parts_is_the_sites_404(therapist, settings, debug):
    settings.DEBUG = debug
    series = series_make("Coming soon")
    article_make(therapist, series=series, status="draft")
    response = Client().get("/articles/series/coming-soon/")
    assert response.status_code == 404
    assert "We cannot find that page" in response.content.decode()


def test_series_pages_are_in_the_sitemap(therapist):
    shown = series_make("Hips and glutes")
    hidden = series_make("Drafts only")
    article_make(therapist, series=shown)
    article_make(therapist, series=hidden, status="draft")
    root = ElementTree.fromstring(Client().get("/sitemap.xml").content)  # noqa: S314 - ours
    locations = {url.findtext("s:loc", namespaces=SITEMAP_NS) for url in root}
    assert "http://testserver/articles/series/hips-and-glutes/" in locations
    assert "http://testserver/articles/series/drafts-only/" not in locations


def test_series_page_is_cached_and_a_newly_published_part_shows_at_once(therapist):
    series = series_make("Hips and glutes")
    article_make(therapist, title="Weak glutes", series=series)
    later = article_make(therapist, title="Clamshells", series=series, status="draft")
    url = "/articles/series/hips-and-glutes/"
    Client().get(url)
    assert Client().get(url)[STATUS_HEADER] == "hit"

    draft = article_draft_from(later)
    draft.status = "published"
    article_save(article=later, draft=draft, editor=therapist)

    assert "Clamshells" in Client().get(url).content.decode()
