"""Public reading pages: the article list (topics, search), topic pages and articles."""

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from education import selectors
from education.models import Article, Topic
from education.rendering import reading_minutes
from education.search import query_clean, snippet_html
from practice.core.page_cache import public_page

PAGE_SIZE = 12
#: The guide sign-up form's ``source`` takes at most this many characters (C4).
OFFER_SOURCE_MAX_CHARS = 200


def site_not_found(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer ``Http404`` with the site's own 404 page (``templates/404.html``, status 404)
    whatever ``DEBUG`` says: with ``DEBUG`` on, Django would show its technical page instead,
    so a reader's unknown address is tested as readers see it in both modes."""

    @wraps(view)
    def answered(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return render(request, "404.html", status=404)

    return answered


@public_page
@site_not_found
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Newest first; ``?topic=<slug>`` filters (an unknown topic is a 404); ``?q=`` searches."""
    topic_slug = request.GET.get("topic", "")
    topic = selectors.topic_get(slug=topic_slug) if topic_slug else None
    return _listing(request, topic=topic)


@public_page
@site_not_found
@require_safe
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    return _listing(request, topic=selectors.topic_get(slug=slug))


def _listing(request: HttpRequest, *, topic: Topic | None) -> HttpResponse:
    q = query_clean(request.GET.get("q", ""))
    articles = selectors.article_published_list(topic=topic, search=q)
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [
        {
            "article": article,
            "minutes": reading_minutes(article.body),
            "snippet": snippet_html(article, q=q) if q else "",
        }
        for article in page.object_list
    ]
    return render(
        request,
        "education/index.html",
        {
            "page": page,
            "cards": cards,
            "q": q,
            "topic": topic,
            "topics": list(selectors.topic_list()),
        },
    )


@public_page
@site_not_found
@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A published article; an old slug answers with a 301 to the current one."""
    try:
        article = selectors.article_published_get(slug=slug)
    except Http404:
        moved = selectors.article_redirect_target(slug=slug)
        if moved is None:
            raise
        return HttpResponsePermanentRedirect(moved.get_absolute_url())
    return render(request, "education/detail.html", article_context(article))


@public_page
@site_not_found
@require_safe
def series(request: HttpRequest, slug: str) -> HttpResponse:
    """A series' published parts in reading order; a series with none is a 404."""
    found = selectors.series_get(slug=slug)
    parts = selectors.series_published_parts(series=found)
    if not parts:
        raise Http404("This series has no published part yet.")
    cards = [
        {"article": part, "minutes": reading_minutes(part.body), "part": part.series_position}
        for part in parts
    ]
    return render(
        request,
        "education/series.html",
        {
            "series": found,
            "cards": cards,
            "canonical_url": f"{settings.SITE_URL}{found.get_absolute_url()}",
            "offer_source": f"series:{found.slug}"[:OFFER_SOURCE_MAX_CHARS],
        },
    )


def article_context(article: Article, *, preview: bool = False) -> dict[str, Any]:
    """What the article page shows, for readers and for the staff preview."""
    url = f"{settings.SITE_URL}{article.get_absolute_url()}"
    hero = _hero(article)
    return {
        "article": article,
        "preview": preview,
        "body": mark_safe(selectors.article_body_html(article)),  # noqa: S308 - sanitised
        "minutes": reading_minutes(article.body),
        "topics": list(article.topics.all()),
        "earlier": selectors.article_series_earlier(article=article),
        "related": selectors.article_related(article=article),
        "references": [line.strip() for line in article.references.splitlines() if line.strip()],
        "canonical_url": url,
        "hero": hero,
        "json_ld": _json_ld(article, url=url, hero=hero),
        "offer_source": f"article:{article.slug}"[:OFFER_SOURCE_MAX_CHARS],
    }


def _hero(article: Article) -> dict[str, Any] | None:
    if not article.hero_image:
        return None
    return {
        "url": article.hero_image.url,
        "absolute_url": f"{settings.SITE_URL}{article.hero_image.url}",
        "srcset": article.hero_srcset,
        "width": article.hero_width,
        "height": article.hero_height,
        "alt": article.hero_alt,
    }


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _json_ld(article: Article, *, url: str, hero: dict[str, Any] | None) -> str:
    """schema.org ``Article`` as JSON, escaped for a ``<script type="application/ld+json">``
    data block (browsers never run it; the CSP does not apply to data blocks)."""
    author = article.author
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.summary,
        "mainEntityOfPage": url,
        "url": url,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": (
            article.revised_at or article.published_at or article.updated_at
        ).isoformat(),
        "author": {
            "@type": "Person",
            "name": author.display_name,
            "url": f"{settings.SITE_URL}/about/#{author.slug}",
            **({"jobTitle": author.credentials} if author.credentials else {}),
        },
        "keywords": [topic.name for topic in article.topics.all()],
    }
    if hero:
        data["image"] = hero["absolute_url"]
    text = json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 - escaped for a data block
