"""RSS 2.0 (/articles/feed/) and Atom 1.0 (/articles/feed/atom/) of published articles.

Each entry carries the summary, the full sanitised body with embeds resolved and every link
and image absolute (RSS ``content:encoded``, Atom ``content``), the author, the topics as
categories and the hero image as an enclosure. Bodies are rendered in one batch.
"""

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from education import selectors
from education.models import Article
from education.rendering import article_bodies_html
from practice.core.selectors import practice_profile

FEED_SIZE = 30


class _RssWithContent(Rss201rev2Feed):
    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])


class _AtomWithContent(Atom1Feed):
    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})


class ArticlesFeed(Feed):
    feed_type: type[Rss201rev2Feed | Atom1Feed] = _RssWithContent

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        """The site's address as this request reached it, for absolute links in bodies."""
        return request.build_absolute_uri("/").rstrip("/")

    def title(self) -> str:
        return f"{practice_profile().name}: articles"

    def description(self) -> str:
        return "Practical articles on bone health, posture, balance and strong hips."

    def link(self) -> str:
        return "/articles/"

    def items(self, base_url: str) -> list[Article]:
        articles = list(selectors.article_published_list()[:FEED_SIZE])
        bodies = article_bodies_html(articles, base_url=base_url)
        for article in articles:
            article.content_html = bodies[article.pk]  # type: ignore[attr-defined]
            article.base_url = base_url  # type: ignore[attr-defined]
        return articles

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime | None:
        return item.revised_at or item.published_at

    def item_author_name(self, item: Article) -> str:
        return item.author.display_name

    def item_categories(self, item: Article) -> list[str]:
        return [topic.name for topic in item.topics.all()]

    def item_enclosure_url(self, item: Article) -> str | None:
        if not item.hero_image:
            return None
        return f"{item.base_url}{item.hero_image.url}"  # type: ignore[attr-defined]

    def item_enclosure_length(self, item: Article) -> int | None:
        if not item.hero_image:
            return None
        try:
            return item.hero_image.size
        except OSError:
            return 0

    def item_enclosure_mime_type(self, item: Article) -> str | None:
        return "image/jpeg" if item.hero_image else None

    def item_extra_kwargs(self, item: Article) -> dict[str, Any]:
        return {"content_html": item.content_html}  # type: ignore[attr-defined]


class ArticlesAtomFeed(ArticlesFeed):
    feed_type = _AtomWithContent

    def subtitle(self) -> str:
        return self.description()
