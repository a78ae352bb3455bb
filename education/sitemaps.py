"""/sitemap.xml: published articles (lastmod), topics and series with published articles,
public exercise pages (lastmod, through ``exercises.selectors``) and the static pages."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from education import selectors
from education.models import Article, Series, Topic
from exercises.selectors import exercise_public_queryset

_PROTOCOL = "https" if settings.SITE_URL.startswith("https") else "http"


class ArticleSitemap(Sitemap):
    protocol = _PROTOCOL
    changefreq = "monthly"

    def items(self) -> QuerySet[Article]:
        articles = selectors.article_published_list().select_related(None)
        return articles.prefetch_related(None).only("slug", "published_at", "revised_at")

    def lastmod(self, item: Article) -> datetime | None:
        return item.revised_at or item.published_at


class TopicSitemap(Sitemap):
    protocol = _PROTOCOL
    changefreq = "weekly"

    def items(self) -> QuerySet[Topic]:
        return selectors.topic_list()


class SeriesSitemap(Sitemap):
    protocol = _PROTOCOL
    changefreq = "monthly"

    def items(self) -> QuerySet[Series]:
        return selectors.series_with_published_parts()


class ExerciseSitemap(Sitemap):
    """Each public exercise page (private ones are 404 to the public)."""

    protocol = _PROTOCOL
    changefreq = "monthly"

    def items(self) -> QuerySet[Any]:
        return exercise_public_queryset().only("slug", "updated_at")

    def lastmod(self, item: Any) -> datetime:
        return item.updated_at


class StaticPageSitemap(Sitemap):
    """The site's own pages, by URL name."""

    protocol = _PROTOCOL
    changefreq = "weekly"
    names = (
        "home",
        "about",
        "privacy",
        "education:index",
        "exercises:index",
        "consults:book",
        "newsletter:guide",
    )

    def items(self) -> tuple[str, ...]:
        return self.names

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": StaticPageSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "series": SeriesSitemap,
    "exercises": ExerciseSitemap,
}
