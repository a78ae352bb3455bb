"""Cleaning what a writer pastes or imports, so that bodies are tidy Markdown.

Two ways in:

* :func:`paste_clean` for text typed or pasted into the writing form (Markdown, or plain text
  copied from a word processor or a web page): "•" bullet lines become a Markdown list, stray
  spacing, invisible characters and empty paragraphs go, curly quotes, dashes and "™" stay.
* :func:`html_to_markdown` for a post's HTML (a WordPress export): WordPress shortcodes
  (``[caption]``, ``[embed]``, ``[gallery]``...), the plain-text paragraphs of its classic
  editor (it adds ``<p>`` only when it shows a post: "autop"), entities, then markdownify
  (a well-kept HTML-to-Markdown converter), then the same cleaning.

Nothing here makes a body safe to show: :func:`practice.core.markdown.markdown_render`
sanitises every body when it is rendered. The HTML route still drops scripts, frames, forms
and the like before converting (through the same allow-list), so they do not end up as text.
"""

import html
import re

from markdownify import ATX, markdownify

from practice.core.markdown import sanitise_html

#: Characters word processors use for bullets (with Symbol-font ones pasted as private-use).
BULLETS = "•◦▪▫‣\u2043∙·●○■□►▸➢✓✔\uf0b7\uf0a7\uf076\uf0d8"
_BULLET_LINE = re.compile(rf"^[ \t]*[{re.escape(BULLETS)}][ \t\u00a0]*(?=\S)")
_NUMBERED_LINE = re.compile(r"^[ \t]*(\d{1,3})[.)][ \t\u00a0]+(?=\S)")
_LIST_LINE = re.compile(r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+\S")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
#: Invisible characters that only get in the way: zero-width spaces and joiners, soft hyphens,
#: byte-order marks, word joiners.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u00ad\ufeff\u2060"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2009\u202f\u3000"), " ")

#: Block-level tags: text between them is not wrapped in a paragraph by autop.
_BLOCK_TAGS = (
    "address|article|aside|blockquote|details|div|dl|figure|figcaption|footer|form|h[1-6]|"
    "header|hr|li|ol|p|pre|section|table|tbody|td|tfoot|th|thead|tr|ul|caption"
)
_STARTS_WITH_BLOCK = re.compile(rf"^\s*</?(?:{_BLOCK_TAGS})\b", re.IGNORECASE)
_HAS_BLOCK = re.compile(rf"<(?:{_BLOCK_TAGS})\b", re.IGNORECASE)
_SHORTCODE_ATTRS = r"(?:\s[^\]]*)?"
_CAPTION = re.compile(
    rf"\[(?:wp_)?caption{_SHORTCODE_ATTRS}\](.*?)\[/(?:wp_)?caption\]", re.IGNORECASE | re.DOTALL
)
_EMBED = re.compile(rf"\[embed{_SHORTCODE_ATTRS}\](.*?)\[/embed\]", re.IGNORECASE | re.DOTALL)
_MEDIA_SRC = re.compile(
    rf"\[(?:video|audio){_SHORTCODE_ATTRS}\bsrc=[\"']([^\"']+)[\"'][^\]]*\](?:.*?\[/(?:video|audio)\])?",
    re.IGNORECASE | re.DOTALL,
)
#: Shortcodes of WordPress itself and of the page builders and plugins blogs use most.
_SHORTCODE_NAMES = (
    r"gallery|playlist|video|audio|embed|caption|wp_caption|contact-form(?:-7)?|button|"
    r"column|columns|one_half|one_third|two_thirds|one_fourth|three_fourths|row|"
    r"et_pb_\w+|vc_\w+|fusion_\w+|av_\w+|su_\w+|box|quote|tweet|youtube|vimeo|soundcloud"
)
_SHORTCODE_TAG = re.compile(rf"\[/?(?:{_SHORTCODE_NAMES}){_SHORTCODE_ATTRS}/?\]", re.IGNORECASE)
_URL_ONLY = re.compile(r"^\s*(https?://\S+)\s*$")


def paste_clean(text: str) -> str:
    """Tidy Markdown or plain text from the writing form; returns Markdown.

    - Windows and old Mac line ends become ``\\n``; invisible characters go; non-breaking and
      other wide spaces become plain spaces.
    - A line starting with a bullet character ("•", "◦", "▪", "·"... or Word's Symbol-font
      bullet) becomes a Markdown list item; "1)" becomes "1.". A list gets the blank line
      before it that Markdown needs.
    - Runs of spaces inside a line shrink to one; trailing spaces go; a paragraph line
      indented by a word processor is not turned into a code block. Fenced code is kept as is.
    - Lines holding nothing, and more than one blank line in a row, go.
    Curly quotes, dashes, "…" and "™" are kept as they are.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n").translate(_INVISIBLE).translate(_SPACES)
    lines: list[str] = []
    in_fence = False
    previous = ""  # the last line kept outside a fence, "" after a blank line
    for raw in text.split("\n"):
        if _FENCE.match(raw):
            in_fence = not in_fence
            lines.append(raw.rstrip())
            previous = raw
            continue
        if in_fence:
            lines.append(raw.rstrip())
            continue
        line = _BULLET_LINE.sub("- ", raw)
        line = _NUMBERED_LINE.sub(r"\1. ", line)
        if not line.strip():
            lines.append("")
            previous = ""
            continue
        indent = len(line) - len(line.lstrip(" \t"))
        body = re.sub(r"[ \t]+", " ", line.strip())
        is_item = bool(_LIST_LINE.match(line))
        if indent and previous and _LIST_LINE.match(previous) is not None and is_item:
            body = "    " + body  # a nested item keeps its level
        elif indent and previous and (_LIST_LINE.match(previous) or previous.startswith("    ")):
            body = "    " + body  # a list item's continuation
        previous_item = _LIST_LINE.match(previous) if previous else None
        if (
            not indent
            and previous
            and (
                (is_item and previous_item is None)  # Markdown needs a blank line before a list,
                or (not is_item and previous_item is not None)  # and after one,
                or (is_item and previous_item and _ordered(previous) != _ordered(body))  # between
            )
        ):
            lines.append("")
        lines.append(body)
        previous = body
    cleaned = "\n".join(lines)
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    return cleaned.strip("\n") + "\n" if cleaned.strip() else ""


def _ordered(line: str) -> bool:
    return line.lstrip()[:1].isdigit()


def shortcodes_expand(content: str) -> str:
    """WordPress shortcodes as HTML: ``[caption]`` becomes a figure with its caption, an
    ``[embed]`` or a media shortcode a link to its address; the others (galleries, page
    builders' columns, forms) are dropped, keeping the text they enclose."""

    def caption(match: re.Match[str]) -> str:
        inner = match.group(1)
        image_end = max(inner.rfind(">"), 0)
        media, words = inner[: image_end + 1], inner[image_end + 1 :].strip()
        figcaption = f"<figcaption>{words}</figcaption>" if words else ""
        return f"<figure>{media}{figcaption}</figure>"

    def link(match: re.Match[str]) -> str:
        url = html.escape(match.group(1).strip(), quote=True)
        return f'<p><a href="{url}">{url}</a></p>'

    content = _CAPTION.sub(caption, content)
    content = _EMBED.sub(link, content)
    content = _MEDIA_SRC.sub(link, content)
    return _SHORTCODE_TAG.sub("", content)


def autop(content: str) -> str:
    """WordPress's "autop" for posts stored as plain text: blank lines separate paragraphs,
    a single line end is a line break. Blocks that are already HTML are left alone."""
    blocks = re.split(r"\n\s*\n", content.replace("\r\n", "\n").strip())
    out = []
    for block in blocks:
        if not block.strip():
            continue
        if _STARTS_WITH_BLOCK.match(block) or (_HAS_BLOCK.search(block) and "\n" not in block):
            out.append(block)
            continue
        url = _URL_ONLY.match(block)
        if url:  # WordPress embeds a URL alone on its line: keep it as a link
            address = html.escape(url.group(1), quote=True)
            out.append(f'<p><a href="{address}">{address}</a></p>')
            continue
        out.extend(_lines_as_html(block.split("\n")))
    return "\n\n".join(out)


def _lines_as_html(lines: list[str]) -> list[str]:
    """One plain-text block: runs of bullet lines as a list, other lines as a paragraph."""
    out: list[str] = []
    run: list[str] = []
    run_is_list = False
    for line in [*lines, None]:
        is_item = line is not None and bool(_BULLET_LINE.match(line))
        if run and (line is None or is_item != run_is_list):
            if run_is_list:
                items = "".join(f"<li>{_BULLET_LINE.sub('', item).strip()}</li>" for item in run)
                out.append(f"<ul>{items}</ul>")
            else:
                out.append("<p>" + "<br>\n".join(item.strip() for item in run) + "</p>")
            run = []
        if line is not None and line.strip():
            run.append(line)
            run_is_list = is_item
    return out


def html_to_markdown(content: str) -> str:
    """A post's stored HTML (or autop plain text) as clean Markdown: shortcodes expanded,
    paragraphs made, entities decoded, anything executable dropped, converted by markdownify,
    then :func:`paste_clean`. Image and link addresses are kept as they are."""
    if not content.strip():
        return ""
    content = autop(shortcodes_expand(content))
    content = sanitise_html(content)
    markdown = markdownify(
        content,
        heading_style=ATX,
        bullets="-",
        strong_em_symbol="*",
        escape_underscores=False,
        escape_misc=False,
        newline_style="backslash",
    )
    markdown = _TYPOGRAPHIC_ENTITY.sub(_entity_decoded, markdown)
    return paste_clean(_empty_emphasis_dropped(markdown))


#: Entities left encoded twice by old exports ("&amp;#8217;"), now text: typographic ones only.
_TYPOGRAPHIC_ENTITY = re.compile(
    r"&(#8\d{3}|#x20[0-9a-f]{2}|#1[6-9]\d|#2[0-4]\d|rsquo|lsquo|rdquo|ldquo|ndash|mdash|"
    r"hellip|nbsp|trade|copy|reg|eacute|egrave);",
    re.IGNORECASE,
)


def _entity_decoded(match: re.Match[str]) -> str:
    return html.unescape(match.group(0)).replace("\u00a0", " ")


def _empty_emphasis_dropped(markdown: str) -> str:
    # Word processors leave bold or italic around nothing ("** **"), and lines of "\".
    markdown = re.sub(r"(\*\*|__)\s*\1", " ", markdown)
    return re.sub(r"^\s*\\\s*$", "", markdown, flags=re.MULTILINE)
