"""The list, the article page and the feeds run the same number of queries for 5 articles
as for 200 (with topics, series and embeds on every one)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from education.models import Article
from tests.education.helpers import series_make, topic_make
from tests.exercises.helpers import exercise_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _uncached(settings):
    """The pages as rendered, not as served from the whole-page cache (which costs none)."""
    settings.PAGE_CACHE_ENABLED = False


def queries(url: str) -> int:
    client = Client()
    client.get(url)  # warm the practice profile's cache, as every request after the first
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert len(captured) > 0
    return len(captured)


def grow(therapist, count: int) -> Article:
    topics = [topic_make(f"Topic {i}") for i in range(3)] if not Article.objects.exists() else []
    topics = topics or list(topics_all())
    series = series_make(f"Series {Article.objects.count()}")
    exercises = [exercise_make(name=f"Move {Article.objects.count()} {i}") for i in range(2)]
    last: Article | None = None
    for i in range(count - Article.objects.count()):
        body = (
            f"Text.\n\n[[exercise:{exercises[i % 2].slug}]]\n\n"
            f"See [[article:{last.slug if last else 'nowhere'}]]."
        )
        last = Article.objects.create(
            title=f"Article {i}",
            slug=f"article-{Article.objects.count()}",
            summary="Summary.",
            body=body,
            author=therapist.therapist_profile,
            status="published",
            published_at="2026-01-01T10:00:00Z",
            series=series,
            series_position=i + 1,
        )
        last.topics.set(topics)
    assert last is not None
    return last


def topics_all():
    from education.models import Topic

    return Topic.objects.all()


@pytest.mark.parametrize(
    "url",
    [
        "/articles/",
        "/articles/?q=text",
        "/articles/topics/topic-1/",
        "/articles/feed/",
        "/articles/feed/atom/",
        "/sitemap.xml",
    ],
)
def test_pages_of_many_articles_cost_no_more_queries(therapist, url):
    grow(therapist, 5)
    few = queries(url)
    grow(therapist, 200)
    many = queries(url)
    assert few == many, (few, many)
    print(f"\nquery counts: {url} {many}")


def test_article_page_costs_no_more_queries_with_more_articles_and_embeds(therapist):
    last = grow(therapist, 5)
    few = queries(last.get_absolute_url())
    last = grow(therapist, 200)
    many = queries(last.get_absolute_url())
    assert few == many, (few, many)
    print(f"\nquery counts: article page {many}")


def test_series_page_costs_no_more_queries_with_more_parts(therapist):
    grow(therapist, 5)
    few = queries("/articles/series/series-0/")
    grow(therapist, 200)
    many = queries("/articles/series/series-5/")
    assert few == many, (few, many)
    print(f"\nquery counts: series page {many}")
