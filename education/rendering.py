"""Article bodies as HTML: Markdown rendered and sanitised by the core's one renderer
(``practice.core.markdown.markdown_render``), with the ``[[article:..]]`` and
``[[exercise:..]]`` tokens (``education.embeds``) resolved around it.

Tokens are swapped for random placeholder words before rendering, so nothing a writer types
can imitate an embed, and the placeholders are replaced after sanitising with markup this
module builds itself from escaped values (exercise cards come from the exercise library's
own template).
"""

import re
import secrets
from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils.html import escape, format_html

from education.embeds import TOKEN, Embeds, embeds_resolve
from education.models import Article
from practice.core.markdown import markdown_render

#: Words per minute of an adult reading a practical text on screen.
READING_WORDS_PER_MINUTE = 200
_WORD = re.compile(r"[\w\u2019']+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_TAG = re.compile(r"<[^>]*>")


def article_bodies_html(
    articles: Iterable[Article], *, base_url: str = "", published_only: bool = True
) -> dict[int, str]:
    """Each article's body as safe HTML, by article id; embeds resolved once for them all.

    With ``base_url`` (e.g. "https://example.com"), links and images that start with "/"
    are made absolute, for feeds and emails. ``published_only=False`` (staff preview)
    also links to articles that are not published yet.
    """
    articles = list(articles)
    embeds = embeds_resolve([a.body for a in articles], published_only=published_only)
    return {a.pk: body_html(a.body, embeds=embeds, base_url=base_url) for a in articles}


def body_html(body: str, *, embeds: Embeds, base_url: str = "") -> str:
    """One body as safe HTML, given its resolved ``embeds``."""
    nonce = f"embed{secrets.token_hex(8)}n"
    found: list[tuple[str, str]] = []

    def hold(match: re.Match[str]) -> str:
        found.append((match.group(1), match.group(2).lower()))
        return f"{nonce}{len(found) - 1}x"

    html = markdown_render(TOKEN.sub(hold, body), base_url=base_url)
    for index, (kind, slug) in enumerate(found):
        word = f"{nonce}{index}x"
        block, inline = _embed_markup(kind, slug, embeds)
        html = html.replace(f"<p>{word}</p>", block).replace(word, inline)
    if base_url:  # the embeds' own links and images
        html = _absolute(html, base_url.rstrip("/"))
    return html


def word_count(body: str) -> int:
    """Words a reader reads in ``body`` (Markdown syntax and embed tokens not counted)."""
    text = _TAG.sub(" ", _LINK_TARGET.sub("]", TOKEN.sub(" ", body)))
    return len(_WORD.findall(text))


def reading_minutes(body: str) -> int:
    """Minutes to read ``body`` at ``READING_WORDS_PER_MINUTE``, at least 1."""
    return max(1, round(word_count(body) / READING_WORDS_PER_MINUTE))


def _embed_markup(kind: str, slug: str, embeds: Embeds) -> tuple[str, str]:
    """(markup for a token alone in its paragraph, markup for one inside a sentence)."""
    if kind == "article":
        link = embeds.articles.get(slug)
        if link is None:
            return "", ""
        inline = str(format_html('<a href="{}">{}</a>', link.url, link.title))
        return f"<p>{inline}</p>", inline
    card = embeds.exercises.get(slug)
    if card is None:
        return "", ""
    block = render_to_string("exercises/includes/exercise_card.html", {"card": card})
    inline = str(format_html('<a href="{}">{}</a>', card.url, card.name))
    try_it = format_html('<p><a class="button" href="{}">Try it: {}</a></p>', card.url, card.name)
    return f'<div class="article-exercise">{block}{try_it}</div>', inline


_LOCAL_URL = re.compile(r'(\s(?:href|src)=")(/[^/"][^"]*|/)"')


def _absolute(html: str, base_url: str) -> str:
    return _LOCAL_URL.sub(lambda m: f'{m.group(1)}{escape(base_url)}{m.group(2)}"', html)
