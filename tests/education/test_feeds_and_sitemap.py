"""RSS and Atom read by feedparser; the sitemap parsed as XML; robots.txt points to it."""

from xml.etree import ElementTree

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from practice.core.selectors import practice_zone
from tests.education.helpers import article_make, html_of, image_upload, topic_make
from tests.exercises.helpers import exercise_make

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.mark.parametrize("url", ["/articles/feed/", "/articles/feed/atom/"])
def test_feed_has_full_sanitised_content_author_topics_and_absolute_urls(therapist, url):
    bones = topic_make("Bone health")
    exercise = exercise_make(name="Glute bridge")
    article_make(therapist, title="Older", slug="older")
    article = article_make(
        therapist,
        title="Bridges for strong hips",
        summary="Why bridges help.",
        body=f"See [[article:older]].\n\n![A mat](/media/mat.jpg)\n\n[[exercise:{exercise.slug}]]"
        "\n\n<script>alert(1)</script>",
        topics=[bones],
        hero_image=image_upload(),
        hero_alt="A mat",
    )
    article_make(therapist, title="Draft", status="draft")

    response = Client().get(url)
    feed = feedparser.parse(response.content)

    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == ["Bridges for strong hips", "Older"]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver{article.get_absolute_url()}"
    assert entry.author == "Ruth Calder"
    assert [t.term for t in entry.tags] == ["Bone health"]
    content = html_of(entry.content[0].value)
    assert "<script" not in entry.content[0].value
    links = [a["href"] for a in content.select("a")]
    assert "http://testserver/articles/older/" in links
    assert f"http://testserver{exercise.get_absolute_url()}" in links
    assert content.select_one("img")["src"] == "http://testserver/media/mat.jpg"
    enclosure = next(link for link in entry.links if link.rel == "enclosure")
    assert enclosure.href.startswith("http://testserver/media/articles/heroes/")
    assert enclosure.type == "image/jpeg"


def test_sitemap_lists_articles_with_lastmod_topics_and_static_pages(therapist):
    hips = topic_make("Hips")
    article = article_make(therapist, topics=[hips])
    draft = article_make(therapist, status="draft")
    response = Client().get("/sitemap.xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own output
    entries = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        for url in root.findall("s:url", SITEMAP_NS)
    }
    assert article.published_at is not None
    assert entries[f"http://testserver{article.get_absolute_url()}"] == (
        timezone.localdate(article.published_at, practice_zone()).isoformat()
    )
    assert f"http://testserver{draft.get_absolute_url()}" not in entries
    for path in ("/", "/about/", "/privacy/", "/articles/", "/articles/topics/hips/", "/guide/"):
        assert f"http://testserver{path}" in entries


def test_sitemap_lists_each_public_exercise_page_and_no_private_one(db):
    bridge = exercise_make(name="Glute bridge")
    secret = exercise_make(name="Secret stretch", is_public=False)
    root = ElementTree.fromstring(Client().get("/sitemap.xml").content)  # noqa: S314 - ours
    entries = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        for url in root.findall("s:url", SITEMAP_NS)
    }
    assert entries[f"http://testserver{bridge.get_absolute_url()}"] == (
        timezone.localdate(bridge.updated_at, practice_zone()).isoformat()
    )
    assert f"http://testserver{secret.get_absolute_url()}" not in entries


def test_robots_txt_points_to_the_sitemap(db):
    response = Client().get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /articles/write/" in lines
