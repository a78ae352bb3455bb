"""Reading a WordPress export (WXR: "WordPress eXtended RSS", versions 1.0 to 1.2).

WordPress (Tools → Export), and many blog hosts that export "for WordPress", write one RSS 2.0
file with ``wp:`` elements: the authors, the categories and tags, and one ``<item>`` per post,
page, attachment (an uploaded image) or menu entry. Parsed with defusedxml: a file that
declares entities (the "billion laughs") or reaches outside is refused, not expanded.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

#: The largest export accepted (bytes): years of a practice's posts are a few megabytes.
WXR_MAX_BYTES = 50 * 1024 * 1024
WP_NAMESPACE_PREFIX = "http://wordpress.org/export/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
EXCERPT_NS_PREFIX = "http://wordpress.org/export/"  # excerpt's namespace is .../1.x/excerpt/
DC_NS = "http://purl.org/dc/elements/1.1/"


class WxrError(ValueError):
    """The file is not a WordPress export that can be read; the message says why, in words."""


@dataclass(frozen=True)
class WxrAuthor:
    login: str
    email: str
    display_name: str


@dataclass(frozen=True)
class WxrTerm:
    """A category (``domain="category"``) or tag (``"post_tag"``) a post is filed under."""

    domain: str
    slug: str
    name: str


@dataclass(frozen=True)
class WxrItem:
    post_id: int
    post_type: str  # "post", "page", "attachment", "nav_menu_item"...
    status: str  # "publish", "draft", "pending", "private", "future", "trash", "inherit"...
    title: str
    slug: str  # wp:post_name, URL-decoded; "" for many drafts
    link: str  # the public URL on the old site
    guid: str
    content: str  # HTML, or plain text with blank lines (classic editor)
    excerpt: str
    creator: str  # the author's login
    published: datetime | None  # UTC; None when the export has no date (drafts)
    has_password: bool
    terms: tuple[WxrTerm, ...]
    attachment_url: str
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class WxrExport:
    site_url: str
    authors: dict[str, WxrAuthor]  # by login
    items: list[WxrItem]

    def attachments_by_url(self) -> dict[str, WxrItem]:
        return {item.attachment_url: item for item in self.items if item.attachment_url}


def wxr_parse(data: bytes) -> WxrExport:
    """Parse an export file's bytes. Raises WxrError for a file that is too big, is not XML,
    is XML but not a WordPress export, or declares entities."""
    if len(data) > WXR_MAX_BYTES:
        raise WxrError(
            f"The file is {len(data) / 1024 / 1024:.0f} MB; exports up to "
            f"{WXR_MAX_BYTES // 1024 // 1024} MB can be imported. Export fewer posts at a time "
            "(WordPress: Tools → Export, choose a date range)."
        )
    if not data.strip():
        raise WxrError("The file is empty. Choose the .xml file WordPress exported.")
    try:
        root = fromstring(data)
    except DefusedXmlException:
        raise WxrError(
            "The file declares its own XML entities or reaches for other files, which a "
            "WordPress export never does; it was not read."
        ) from None
    except ParseError as error:
        line, column = error.position
        raise WxrError(
            f"The file is not well-formed XML (line {line}, column {column}): it may be cut "
            "short or not be a WordPress export. Export it again and choose the .xml file."
        ) from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None or not _is_wordpress(root):
        raise WxrError(
            "This XML file is not a WordPress export (WXR): it has no WordPress elements. "
            "In WordPress, use Tools → Export → All content, and choose that .xml file."
        )
    authors = {}
    for element in _children(channel, "author"):
        author = WxrAuthor(
            login=_text(element, "author_login"),
            email=_text(element, "author_email"),
            display_name=_text(element, "author_display_name"),
        )
        authors[author.login] = author
    items = [_item(element) for element in channel.findall("item")]
    site_url = _text(channel, "base_blog_url") or _plain(channel, "link")
    return WxrExport(site_url=site_url, authors=authors, items=items)


def _is_wordpress(root: Element) -> bool:
    return any(element.tag.startswith("{" + WP_NAMESPACE_PREFIX) for element in root.iter())


def _item(element: Element) -> WxrItem:
    terms = tuple(
        WxrTerm(
            domain=category.get("domain", "category"),
            slug=unquote(category.get("nicename", "")),
            name=(category.text or "").strip(),
        )
        for category in element.findall("category")
        if category.get("domain", "category") in {"category", "post_tag"}
    )
    meta = {}
    for postmeta in _children(element, "postmeta"):
        meta[_text(postmeta, "meta_key")] = _text(postmeta, "meta_value")
    try:
        post_id = int(_text(element, "post_id") or 0)
    except ValueError:
        post_id = 0
    return WxrItem(
        post_id=post_id,
        post_type=_text(element, "post_type") or "post",
        status=_text(element, "status") or "draft",
        title=_plain(element, "title"),
        slug=unquote(_text(element, "post_name")),
        link=_plain(element, "link"),
        guid=_plain(element, "guid"),
        content=_namespaced(element, CONTENT_NS, "encoded"),
        excerpt=_excerpt(element),
        creator=_namespaced(element, DC_NS, "creator"),
        published=_published(element),
        has_password=bool(_text(element, "post_password")),
        terms=terms,
        attachment_url=_text(element, "attachment_url"),
        meta=meta,
    )


def _published(element: Element) -> datetime | None:
    gmt = _text(element, "post_date_gmt")
    if gmt and not gmt.startswith("0000"):
        try:
            return datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
        except ValueError:
            pass
    pub_date = _plain(element, "pubDate")
    if pub_date:
        try:
            moment = parsedate_to_datetime(pub_date)
        except (TypeError, ValueError):
            return None
        if moment.tzinfo is not None and moment.year > 1970:
            return moment.astimezone(UTC)
    return None


def _children(parent: Element, local: str) -> list[Element]:
    return [
        child
        for child in parent
        if child.tag.startswith("{" + WP_NAMESPACE_PREFIX) and child.tag.endswith("}" + local)
    ]


def _text(parent: Element, local: str) -> str:
    """The text of the first ``wp:<local>`` child (whatever the WXR version's namespace)."""
    for child in _children(parent, local):
        return (child.text or "").strip()
    return ""


def _namespaced(parent: Element, namespace: str, local: str) -> str:
    child = parent.find(f"{{{namespace}}}{local}")
    return (child.text or "") if child is not None else ""


def _excerpt(parent: Element) -> str:
    for child in parent:
        if child.tag.startswith("{" + EXCERPT_NS_PREFIX) and child.tag.endswith(
            "/excerpt/}encoded"
        ):
            return (child.text or "").strip()
    return ""


def _plain(parent: Element, tag: str) -> str:
    child = parent.find(tag)
    return (child.text or "").strip() if child is not None else ""
