"""Markdown written by staff, rendered to HTML that is safe to show anyone.

One renderer for article bodies (education) and campaign bodies (newsletter): python-markdown
turns the text into HTML, then nh3 (the ammonia sanitiser) keeps only an allow-list of tags,
attributes and URL schemes. Raw HTML written into the Markdown goes through the same
allow-list, so nothing executable reaches a reader: no ``<script>``, event handlers
(``onerror=``), ``javascript:``/``data:``/``vbscript:`` URLs, frames, objects, embedded SVG,
forms or ``style=`` attributes. The output needs no inline script or style, so it runs under
the site's strict Content Security Policy.
"""

import markdown
import nh3

# Tags a written article or email may use. Headings start at h2: the page's title is its h1.
ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "caption",
        "code",
        "dd",
        "del",
        "details",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "s",
        "small",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)

ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "srcset", "sizes", "loading"},
    "ol": {"start", "reversed"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    # Footnotes link between a reference and its note by id.
    "li": {"id"},
    "sup": {"id"},
}

# Tags removed together with everything inside them (their text is never content).
REMOVED_WITH_CONTENT: frozenset[str] = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "noscript",
        "template",
        "svg",
        "math",
        "form",
        "textarea",
        "select",
        "button",
        "title",
        "head",
        "meta",
        "link",
        "base",
    }
)

URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})

_EXTENSIONS = ["abbr", "def_list", "fenced_code", "footnotes", "sane_lists", "tables"]
_EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}


def markdown_render(text: str, *, base_url: str = "") -> str:
    """Render Markdown ``text`` to sanitised HTML, safe to ``mark_safe``.

    Markdown (python-markdown with tables, fenced code, footnotes, definition lists and
    abbreviations) and any raw HTML in it pass through nh3 with the allow-lists above. Links
    keep only ``http``, ``https``, ``mailto`` and ``tel`` URLs (and relative ones); every link
    gets ``rel="noopener noreferrer"``. A level-1 heading is shown as a level-2 one (the page
    title is the only h1).

    ``base_url`` (e.g. ``"https://practice.example"``) turns relative links and image
    sources into absolute ones, for feeds and emails. Returns ``""`` for blank text.
    """
    if not text.strip():
        return ""
    html = markdown.markdown(
        text,
        extensions=_EXTENSIONS,
        extension_configs=_EXTENSION_CONFIGS,
        output_format="html",
    )
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return sanitise_html(html, base_url=base_url)


def sanitise_html(html: str, *, base_url: str = "") -> str:
    """Keep only the allow-listed tags, attributes and URL schemes of ``html``.

    For HTML from elsewhere (an imported post) that is shown as it is; the rules and
    ``base_url`` are those of :func:`markdown_render`.
    """
    if base_url:
        return _cleaner(base_url=base_url.rstrip("/") + "/").clean(html)
    return _RELATIVE_KEPT.clean(html)


def _cleaner(*, base_url: str = "") -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
        url_relative=("rewrite_with_base", base_url) if base_url else "pass_through",
    )


_RELATIVE_KEPT = _cleaner()
