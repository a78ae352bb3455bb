"""Full-text search over published articles.

PostgreSQL: one weighted vector (title A, summary B, body C, English stemming) indexed by a
GIN expression index (``article_search_gin``, made by migration 0002); results are ranked by
``ts_rank`` and carry a highlighted snippet from ``ts_headline``. The query is read with
``websearch_to_tsquery``, so any input (quotes, minus signs, SQL-looking text) is a query,
never an error. Other databases (SQLite for local runs): a case-insensitive match on the
three fields, title matches first, and a snippet cut around the first match.
"""

import re

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import CombinedExpression
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from education.models import Article

CONFIG = "english"
#: Longest query read; the rest is dropped (a search box, not a document).
QUERY_MAX_CHARS = 200
SNIPPET_CHARS = 220
#: Never in an article's text: ts_headline marks matches with these, then the snippet is
#: escaped and the marks turned into <mark>.
_START, _STOP = "\x02", "\x03"


#: The index (migration 0002) is on this same expression, so the planner can use it.
def search_vector() -> CombinedExpression:
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def query_clean(raw: str) -> str:
    """The words worth searching for: control characters removed, spaces collapsed, cut to
    ``QUERY_MAX_CHARS``."""
    text = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(text.split())[:QUERY_MAX_CHARS]


def uses_postgres() -> bool:
    return connection.vendor == "postgresql"


def articles_search(queryset: QuerySet[Article], *, q: str) -> QuerySet[Article]:
    """``queryset`` narrowed to articles matching ``q``, best first, each annotated with
    ``snippet_raw`` (see ``snippet_html``). ``q`` must already be cleaned."""
    if uses_postgres():
        query = SearchQuery(q, search_type="websearch", config=CONFIG)
        return (
            queryset.annotate(search=search_vector())
            .filter(search=query)
            .annotate(
                rank=SearchRank(search_vector(), query),
                snippet_raw=SearchHeadline(
                    "body",
                    query,
                    config=CONFIG,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "-published_at", "-pk")
        )
    words = q.split()[:8]
    match = Q()
    for word in words:
        match &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
    in_title = Case(
        When(title__icontains=words[0], then=Value(0)) if words else When(pk=None, then=0),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        queryset.filter(match)
        .annotate(title_first=in_title, snippet_raw=Value(""))
        .order_by("title_first", "-published_at", "-pk")
    )


_MARKDOWN_NOISE = re.compile(
    r"\[\[(?:article|exercise):[^\]]*\]\]|[*_`#>]+|!?\[([^\]]*)\]\([^)]*\)"
)


def snippet_html(article: Article, *, q: str) -> SafeString:
    """A short excerpt of the body around the matched words, escaped, matches in <mark>."""
    raw = getattr(article, "snippet_raw", "") or _snippet_fallback(article.body, q)
    plain = _MARKDOWN_NOISE.sub(lambda m: m.group(1) or " ", raw)
    plain = " ".join(plain.split())
    html = escape(plain).replace(_START, "<mark>").replace(_STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags added


def _snippet_fallback(body: str, q: str) -> str:
    words = [w for w in q.split() if w]
    lower = body.lower()
    hits = [lower.find(w.lower()) for w in words if lower.find(w.lower()) >= 0]
    if not hits:
        return body[:SNIPPET_CHARS]
    start = max(0, min(hits) - SNIPPET_CHARS // 3)
    text = body[start : start + SNIPPET_CHARS]
    for word in sorted(set(words), key=len, reverse=True):
        text = re.sub(
            re.escape(word), lambda m: f"{_START}{m.group(0)}{_STOP}", text, flags=re.IGNORECASE
        )
    return ("… " if start else "") + text + (" …" if start + SNIPPET_CHARS < len(body) else "")
