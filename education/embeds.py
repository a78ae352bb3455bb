"""``[[article:<slug>]]`` and ``[[exercise:<slug>]]`` in article bodies.

- ``[[article:<slug>]]`` is a link to that article under its current title and URL. Old
  slugs still find it (``ArticleSlug``), so links survive a slug change. An article that is
  not published (or does not exist) renders as nothing for readers.
- ``[[exercise:<slug>]]`` on a line of its own renders the exercise's card from the
  exercise library (``exercises.selectors.exercise_cards``: public exercises only); inside a
  sentence it renders a link to the exercise's page. An unknown or private exercise renders
  as nothing for readers.

Saving an article reports both kinds of dangling reference as warnings (``embeds_check``).
Resolution takes three queries (current slugs, old slugs, exercises) for any number of
articles (feeds render many bodies).
"""

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from education.models import Article, ArticleSlug
from exercises.selectors import exercise_cards

TOKEN = re.compile(r"\[\[(article|exercise):\s*([A-Za-z0-9_-]{1,200})\s*\]\]")


@dataclass(frozen=True)
class ArticleLink:
    title: str
    url: str


@dataclass(frozen=True)
class Embeds:
    """What the tokens of some bodies point at: articles by any slug they answered to, and
    exercise cards by slug. Missing keys are references that render as nothing."""

    articles: dict[str, ArticleLink]
    exercises: dict[str, Any]


def embed_slugs(bodies: Iterable[str]) -> tuple[set[str], set[str]]:
    """The article slugs and exercise slugs referenced in ``bodies`` (lower case)."""
    articles: set[str] = set()
    exercises: set[str] = set()
    for body in bodies:
        for kind, slug in TOKEN.findall(body):
            (articles if kind == "article" else exercises).add(slug.lower())
    return articles, exercises


def embeds_resolve(bodies: Iterable[str], *, published_only: bool = True) -> Embeds:
    """Resolve every token in ``bodies``: at most three queries whatever their number."""
    article_slugs, exercise_slugs = embed_slugs(bodies)
    return Embeds(
        articles=_articles_by_slug(article_slugs, published_only=published_only),
        exercises=dict(exercise_cards(slugs=exercise_slugs)) if exercise_slugs else {},
    )


def embeds_check(body: str) -> list[str]:
    """Warnings for the writer: references in ``body`` that readers will not see."""
    article_slugs, exercise_slugs = embed_slugs([body])
    warnings: list[str] = []
    if article_slugs:
        found = _articles_by_slug(article_slugs, published_only=False)
        public = _articles_by_slug(article_slugs, published_only=True)
        for slug in sorted(article_slugs):
            if slug not in found:
                warnings.append(
                    f"[[article:{slug}]]: no article has this address; readers will not see "
                    f"this link. Check the spelling."
                )
            elif slug not in public:
                warnings.append(
                    f"[[article:{slug}]]: “{found[slug].title}” is not published yet; readers "
                    f"will see the link once it is."
                )
    if exercise_slugs:
        cards = exercise_cards(slugs=exercise_slugs)
        for slug in sorted(exercise_slugs - set(cards)):
            warnings.append(
                f"[[exercise:{slug}]]: no public exercise in the library has this address; "
                f"readers will not see it. Check the spelling, or make the exercise public."
            )
    return warnings


def _articles_by_slug(slugs: Collection[str], *, published_only: bool) -> dict[str, ArticleLink]:
    """Articles by current or old slug: two queries."""
    if not slugs:
        return {}
    current = Article.objects.filter(slug__in=slugs)
    old = ArticleSlug.objects.filter(slug__in=slugs).select_related("article")
    if published_only:
        current = current.filter(status=Article.Status.PUBLISHED)
        old = old.filter(article__status=Article.Status.PUBLISHED)
    found = {
        row.slug: ArticleLink(title=row.title, url=row.get_absolute_url())
        for row in current.only("slug", "title")
    }
    for row in old:
        found.setdefault(
            row.slug, ArticleLink(title=row.article.title, url=row.article.get_absolute_url())
        )
    return found
