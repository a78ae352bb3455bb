"""Reads for articles. Readers see published articles only; staff preview any.

Every list read here runs a constant number of queries whatever the number of articles,
topics and embeds (author, series joined; topics prefetched; embeds resolved in one batch).
"""

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from education.models import Article, ArticleSlug, ArticleVersion, Series, Topic
from education.rendering import article_bodies_html
from education.search import articles_search, query_clean

RELATED_COUNT = 3


def _published() -> QuerySet[Article]:
    return Article.objects.filter(status=Article.Status.PUBLISHED)


def _with_relations(articles: QuerySet[Article]) -> QuerySet[Article]:
    return articles.select_related("author", "series").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.order_by("name"))
    )


def article_published_list(*, topic: Topic | None = None, search: str = "") -> QuerySet[Article]:
    """Published articles, newest first (best match first when ``search`` is given), with
    author, series and topics loaded. ``search`` is cleaned here (any text is accepted);
    matches carry a ``snippet_raw`` for ``education.search.snippet_html``."""
    articles = _published()
    if topic is not None:
        articles = articles.filter(topics=topic)
    q = query_clean(search)
    ordered = articles_search(articles, q=q) if q else articles.order_by("-published_at", "-pk")
    return _with_relations(ordered)


def article_published_get(*, slug: str) -> Article:
    """The published article at ``slug`` (its current slug). Raises Http404."""
    article = _with_relations(_published()).filter(slug=slug).first()
    if article is None:
        raise Http404("No published article has this address.")
    return article


def article_redirect_target(*, slug: str) -> Article | None:
    """The published article that used to answer to ``slug``, if any (for a 301)."""
    old = (
        ArticleSlug.objects.filter(slug=slug, article__status=Article.Status.PUBLISHED)
        .select_related("article")
        .first()
    )
    return old.article if old else None


def article_any_get(*, article_id: int) -> Article:
    """Any article by id, whatever its status: for staff (writing, preview). Raises Http404."""
    article = _with_relations(Article.objects.all()).filter(pk=article_id).first()
    if article is None:
        raise Http404("No article has this number.")
    return article


def article_body_html(article: Article, *, base_url: str = "") -> str:
    """The article's body as safe HTML (sanitised, embeds resolved); links and images made
    absolute when ``base_url`` is given (e.g. ``settings.SITE_URL`` for an email)."""
    published_only = article.status == Article.Status.PUBLISHED
    return article_bodies_html([article], base_url=base_url, published_only=published_only)[
        article.pk
    ]


def article_series_earlier(*, article: Article) -> list[Article]:
    """Published articles before this one in its series, in order."""
    if article.series_id is None or article.series_position is None:
        return []
    return list(
        _published()
        .filter(series_id=article.series_id, series_position__lt=article.series_position)
        .order_by("series_position")
        .only("title", "slug", "series_position")
    )


def article_related(*, article: Article, count: int = RELATED_COUNT) -> list[Article]:
    """Other published articles sharing the most topics with this one, newest first; the
    newest articles when none shares a topic."""
    topic_ids = [topic.pk for topic in article.topics.all()]
    others = _published().exclude(pk=article.pk)
    if article.series_id is not None:
        others = others.exclude(series_id=article.series_id)
    shared = Count("topics", filter=Q(topics__in=topic_ids))
    return list(
        others.annotate(shared=shared)
        .order_by("-shared", "-published_at", "-pk")
        .only("title", "slug", "summary", "published_at")[:count]
    )


def topic_get(*, slug: str) -> Topic:
    """The topic at ``slug``. Raises Http404 (a slug with a NUL, which PostgreSQL cannot
    even be asked about, too)."""
    topic = Topic.objects.filter(slug=slug).first() if "\x00" not in slug else None
    if topic is None:
        raise Http404("No topic has this address.")
    return topic


def topic_list() -> QuerySet[Topic]:
    """Topics that have published articles, with ``article_count``, by name."""
    return (
        Topic.objects.annotate(
            article_count=Count("articles", filter=Q(articles__status=Article.Status.PUBLISHED))
        )
        .filter(article_count__gt=0)
        .order_by("name")
    )


def series_list() -> QuerySet[Series]:
    return Series.objects.order_by("title")


def series_get(*, slug: str) -> Series:
    """The series at ``slug``. Raises Http404."""
    series = Series.objects.filter(slug=slug).first()
    if series is None:
        raise Http404("No series has this address.")
    return series


def series_published_parts(*, series: Series) -> list[Article]:
    """The series' published articles in reading order (position), with author and topics
    loaded. Two queries whatever the number of parts."""
    parts = _published().filter(series=series).order_by("series_position", "published_at")
    return list(_with_relations(parts))


def series_with_published_parts() -> QuerySet[Series]:
    """Series that have at least one published article (the ones readers can open), by title."""
    return (
        Series.objects.filter(articles__status=Article.Status.PUBLISHED)
        .distinct()
        .order_by("title")
    )


def article_list_for_staff() -> QuerySet[Article]:
    """Every article, most recently changed first, for the writing pages."""
    return Article.objects.select_related("author").order_by("-updated_at", "-pk")


def article_versions(*, article: Article) -> QuerySet[ArticleVersion]:
    return article.versions.select_related("saved_by").order_by("-number")


def article_absolute_url(article: Article) -> str:
    return f"{settings.SITE_URL}{article.get_absolute_url()}"
