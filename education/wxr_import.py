"""Bringing a WordPress blog's posts in as articles (``import_articles`` and the admin page).

What an import does, and guarantees:

* Each post becomes an article through ``article_save`` (the writing page's validation, a
  kept version), its body converted to Markdown and cleaned (``education.paste``), its
  categories and tags as topics, its first publication date kept.
* Status: a published post is published with its date; a draft, a post pending review, a
  private or password-protected post comes in as a draft (an import never publishes what was
  not public); a post scheduled for later is scheduled for that time; trash is skipped.
* Author: the therapist whose account email, then whose name, matches the post's author;
  otherwise the practice owner's therapist profile, and the report says so.
* Images in a body are taken from the uploads folder given (``wp-content/uploads``) or
  downloaded when reachable (``education.image_download``: pictures checked by content, 10 MB
  and 10 seconds at most, never from or redirected to a non-public address, the address
  vetted being the one connected to), stored like uploaded body images; an image that
  cannot be had is listed as missing and its link kept.
* Each published post's old address (its link and its ``?p=`` form) answers with a 301 to the
  new page.
* Idempotent: an article remembers the post it came from (its version note) and a digest of
  that post; importing the same file again changes nothing, an article changed on this site
  since is never overwritten, and an address used by an article written here is left alone.
* One transaction: a malformed file or an unexpected failure imports nothing at all.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from education.image_download import ImageDownloadError, image_download
from education.images import IMAGE_MAX_BYTES, images_delete
from education.models import RESERVED_SLUGS, Article, ArticleSlug, ArticleVersion, Topic
from education.paste import html_to_markdown
from education.services import ArticleDraft, article_image_upload, article_save
from education.wxr import WxrExport, WxrItem, wxr_parse
from practice.accounts.models import TherapistProfile, User
from practice.core.redirects import redirect_save

IMPORT_NOTE = "Imported from WordPress post {post_id} ({digest})"
_NOTE_PATTERN = re.compile(r"^Imported from WordPress post (\d+) \(([0-9a-f]+)\)$")
FETCH_TIMEOUT_SECONDS = 10
_IMAGE = re.compile(r"!\[([^\]]*)\]\((\S+?)(?:\s+\"[^\"]*\")?\)")
_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
_IMAGE_PATH = re.compile(r"\.(?:jpe?g|png|gif|webp)$", re.IGNORECASE)
DRAFT_STATUSES = {"draft", "pending", "private", "auto-draft"}
SKIPPED_TOPICS = {"uncategorized", "uncategorised"}


@dataclass
class ImportLine:
    title: str
    reason: str = ""
    url: str = ""


@dataclass
class ImportReport:
    """What an import did; ``lines()`` says it in words for the command and the admin page."""

    created: list[ImportLine] = field(default_factory=list)
    updated: list[ImportLine] = field(default_factory=list)
    skipped: list[ImportLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    images_missing: list[str] = field(default_factory=list)
    redirects: int = 0
    dry_run: bool = False

    def lines(self) -> list[str]:
        out = [
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.skipped)} skipped, {self.redirects} old addresses redirected"
            + (" (a trial run: nothing was saved)" if self.dry_run else "")
        ]
        for word, group in (("Created", self.created), ("Updated", self.updated)):
            out += [f"{word}: {line.title} {line.url} {line.reason}".rstrip() for line in group]
        out += [f"Skipped: {line.title}: {line.reason}" for line in self.skipped]
        out += self.notes
        out += [f"Image missing (its link is kept): {url}" for url in self.images_missing]
        return out


class _TrialRun(Exception):
    """Raised to roll a trial run back."""


@dataclass
class _Fetched:
    url: str
    data: bytes


def articles_import_wxr(
    *,
    data: bytes,
    editor: User,
    uploads_dir: Path | None = None,
    fetch: bool = True,
    dry_run: bool = False,
) -> ImportReport:
    """Import a WordPress export's posts (see the module docstring).

    ``editor`` is who the kept versions name. Raises ``education.wxr.WxrError`` for a file
    that cannot be read (nothing imported).
    """
    export = wxr_parse(data)
    report = ImportReport(dry_run=dry_run)
    owner_profile = _owner_profile()
    fetcher = _ImageFetcher(uploads_dir=uploads_dir, fetch=fetch and not dry_run)
    saved_files: list[str] = []
    others = 0
    try:
        with transaction.atomic():
            for item in export.items:
                if item.post_type == "post":
                    _import_post(item, export, editor, owner_profile, fetcher, report, saved_files)
                elif item.post_type == "page":
                    report.skipped.append(
                        ImportLine(item.title or f"page {item.post_id}", _PAGE_REASON)
                    )
                elif item.post_type != "attachment":
                    others += 1
            if dry_run:
                raise _TrialRun
    except _TrialRun:
        images_delete(saved_files)
    except BaseException:
        images_delete(saved_files)
        raise
    if others:
        report.notes.append(f"{others} other entries (menus, revisions, blocks) were not posts.")
    report.images_missing = fetcher.missing
    return report


_PAGE_REASON = "a page, not a post: copy what still matters into the site's own pages"


def _import_post(
    item: WxrItem,
    export: WxrExport,
    editor: User,
    owner_profile: TherapistProfile | None,
    fetcher: "_ImageFetcher",
    report: ImportReport,
    saved_files: list[str],
) -> None:
    title = " ".join(strip_tags(item.title).split()) or f"Untitled post {item.post_id}"
    status, publish_at, status_reason = _status(item)
    if status == "":
        report.skipped.append(ImportLine(title, status_reason))
        return
    digest = _digest(item)
    existing = _existing(item)
    if existing is not None:
        origin = _origin(existing)
        if origin is None or origin[0] != item.post_id:
            report.skipped.append(
                ImportLine(title, f"an article written here already uses /{existing.slug}/")
            )
            return
        if origin[1] == digest:
            report.skipped.append(ImportLine(title, "unchanged since the last import"))
            return
        if origin[2]:
            report.skipped.append(
                ImportLine(title, "changed on this site since it was imported; not overwritten")
            )
            return
    author, author_note = _author(item, export, owner_profile)
    if author is None:
        report.skipped.append(ImportLine(title, "no therapist profile to file it under"))
        return
    if author_note:
        report.notes.append(f"{title}: {author_note}")
    body = html_to_markdown(item.content)
    summary = _summary(item, body)
    body = _images_placed(body, export, editor, fetcher, saved_files, report, title)
    draft = ArticleDraft(
        title=title[:200],
        summary=summary,
        body=body,
        author=author,
        slug=_slug(item, title, existing),
        status=status,
        publish_at=publish_at,
        topics=_topics(item),
        note=IMPORT_NOTE.format(post_id=item.post_id, digest=digest),
    )
    try:
        with transaction.atomic():
            saved = article_save(article=existing, draft=draft, editor=editor)
    except ValidationError as error:
        reasons = "; ".join(error.messages)
        report.skipped.append(ImportLine(title, f"not accepted: {reasons}"))
        return
    article = saved.article
    if status == Article.Status.PUBLISHED and item.published is not None:
        Article.objects.filter(pk=article.pk).update(published_at=item.published)
    line = ImportLine(title, status_reason, article.get_absolute_url())
    (report.updated if existing is not None else report.created).append(line)
    if status == Article.Status.PUBLISHED:
        note = f"WordPress post {item.post_id}"
        for old in {item.link, item.guid} - {""}:
            if urlsplit(old).scheme not in {"http", "https"}:
                continue
            if redirect_save(old_url=old, new_path=article.get_absolute_url(), note=note):
                report.redirects += 1


def _status(item: WxrItem) -> tuple[str, datetime | None, str]:
    """(article status or "" to skip, publish_at, what the report says about it)."""
    if item.status in {"trash", "inherit"}:
        return "", None, "in the old blog's trash"
    if item.status == "auto-draft":
        return "", None, "an empty draft WordPress saved by itself"
    if item.has_password:
        return Article.Status.DRAFT, None, "(password-protected there: kept as a draft)"
    if item.status == "future":
        if item.published is not None and item.published > timezone.now():
            return Article.Status.SCHEDULED, item.published, "(scheduled, as it was)"
        return Article.Status.DRAFT, None, "(was scheduled for a time now past: a draft)"
    if item.status == "publish":
        return Article.Status.PUBLISHED, None, ""
    if item.status in DRAFT_STATUSES:
        return Article.Status.DRAFT, None, f"(a {item.status} post there: kept as a draft)"
    return Article.Status.DRAFT, None, f"(status “{item.status}” there: kept as a draft)"


def _digest(item: WxrItem) -> str:
    source = "\x00".join(
        [
            item.title,
            item.slug,
            item.status,
            item.content,
            item.excerpt,
            item.creator,
            str(item.published),
            ",".join(f"{term.domain}:{term.slug}" for term in item.terms),
        ]
    )
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def _existing(item: WxrItem) -> Article | None:
    """The article an earlier import made of this post (by its note), or one at its address."""
    pattern = f"Imported from WordPress post {item.post_id} ("
    by_note = Article.objects.filter(versions__note__startswith=pattern).distinct().first()
    if by_note is not None or not item.slug:
        return by_note
    slug = slugify(item.slug)
    found = Article.objects.filter(slug=slug).first()
    if found is None:
        old = ArticleSlug.objects.filter(slug=slug).select_related("article").first()
        found = old.article if old else None
    return found


def _origin(article: Article) -> tuple[int, str, bool] | None:
    """(post id, digest, changed here since) from the article's versions, or None when it was
    not imported."""
    versions = list(ArticleVersion.objects.filter(article=article).order_by("-number"))
    for index, version in enumerate(versions):
        match = _NOTE_PATTERN.match(version.note)
        if match:
            return int(match.group(1)), match.group(2), index > 0
    return None


def _author(
    item: WxrItem, export: WxrExport, owner_profile: TherapistProfile | None
) -> tuple[TherapistProfile | None, str]:
    author = export.authors.get(item.creator)
    email = author.email if author else ""
    name = author.display_name if author else item.creator
    profiles = TherapistProfile.objects.select_related("user")
    if email:
        found = profiles.filter(user__email__iexact=email).first()
        if found:
            return found, ""
    if name:
        named = profiles.filter(Q(display_name__iexact=name) | Q(user__full_name__iexact=name))
        found = named.order_by("pk").first()
        if found:
            return found, ""
    who = name or email or "an unknown author"
    owner_name = owner_profile.display_name if owner_profile else "nobody"
    return owner_profile, f"written by {who}, who matches no therapist: filed under {owner_name}"


def _owner_profile() -> TherapistProfile | None:
    return (
        TherapistProfile.objects.filter(user__is_superuser=True, user__is_active=True)
        .order_by("user_id")
        .first()
    )


def _summary(item: WxrItem, body: str) -> str:
    text = strip_tags(html_to_markdown(item.excerpt)) if item.excerpt else ""
    if not text.strip():
        paragraphs = [
            part
            for part in body.split("\n\n")
            if part.strip() and not part.lstrip().startswith(("!", "#", "-", ">"))
        ]
        text = paragraphs[0] if paragraphs else item.title
    text = re.sub(r"[*_`\\]|!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(text.split()))
    return Truncator(text).chars(300, truncate="…") or "Imported from the old blog."


def _slug(item: WxrItem, title: str, existing: Article | None) -> str:
    if existing is not None:
        return existing.slug
    slug = slugify(item.slug) or slugify(title)
    if not slug or slug in RESERVED_SLUGS:
        slug = f"{slug or 'post'}-{item.post_id}"
    taken = (
        Article.objects.filter(slug=slug).exists() or ArticleSlug.objects.filter(slug=slug).exists()
    )
    return f"{slug}-{item.post_id}" if taken else slug


def _topics(item: WxrItem) -> list[Topic]:
    topics: dict[str, Topic] = {}
    for term in item.terms:
        slug = slugify(term.slug or term.name)[:80]
        if not slug or slug in SKIPPED_TOPICS:
            continue
        name = " ".join(strip_tags(term.name).split())[:80] or slug
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            topic = Topic.objects.filter(name__iexact=name).first()
        if topic is None:
            topic = Topic.objects.create(slug=slug, name=name)
        topics[topic.slug] = topic
    return list(topics.values())


def _images_placed(
    body: str,
    export: WxrExport,
    editor: User,
    fetcher: "_ImageFetcher",
    saved_files: list[str],
    report: ImportReport,
    title: str,
) -> str:
    """Each image of the body stored here and its address replaced (links to it too)."""
    attachments = export.attachments_by_url()
    for alt, url in {(match.group(1), match.group(2)) for match in _IMAGE.finditer(body)}:
        absolute = urljoin(export.site_url.rstrip("/") + "/", url)
        fetched = fetcher.get(absolute)
        if fetched is None:
            continue
        attachment = attachments.get(fetched.url) or attachments.get(absolute)
        description = alt.strip() or (
            attachment.meta.get("_wp_attachment_image_alt", "") or attachment.title
            if attachment
            else ""
        )
        if not description:
            description = Path(urlsplit(absolute).path).stem.replace("-", " ").replace("_", " ")
            report.notes.append(f"{title}: describe the image “{description}” for screen readers")
        name = Path(urlsplit(fetched.url).path).name or "image"
        upload = SimpleUploadedFile(name, fetched.data)
        try:
            image = article_image_upload(
                article=None, upload=upload, alt=description[:250], editor=editor
            )
        except ValidationError as error:
            report.notes.append(f"{title}: {url} was not used: {'; '.join(error.messages)}")
            continue
        saved_files.append(str(image.image.name))
        local = image.image.url
        body = body.replace(f"]({url})", f"]({local})").replace(f"]({url} ", f"]({local} ")
    return body


class _ImageFetcher:
    """Image bytes by URL: from the uploads folder, else over HTTP(S); misses are listed."""

    def __init__(self, *, uploads_dir: Path | None, fetch: bool) -> None:
        self.uploads_dir = uploads_dir
        self.fetch = fetch
        self.missing: list[str] = []
        self._seen: dict[str, _Fetched | None] = {}

    def get(self, url: str) -> _Fetched | None:
        if url not in self._seen:
            original = _SIZE_SUFFIX.sub("", url)  # WordPress's resized copy: try the original
            found = None
            for candidate in dict.fromkeys([original, url]):
                found = self._local(candidate) or self._download(candidate)
                if found is not None:
                    break
            self._seen[url] = found
            if found is None:
                self.missing.append(url)
        return self._seen[url]

    def _local(self, url: str) -> _Fetched | None:
        path = urlsplit(url).path
        if self.uploads_dir is None or "/wp-content/uploads/" not in path:
            return None
        relative = path.split("/wp-content/uploads/", 1)[1]
        root = self.uploads_dir.resolve()
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        if candidate.stat().st_size > IMAGE_MAX_BYTES:
            return None
        return _Fetched(url, candidate.read_bytes())

    def _download(self, url: str) -> _Fetched | None:
        parts = urlsplit(url)
        if not self.fetch or parts.scheme not in {"http", "https"} or not parts.hostname:
            return None
        if not _IMAGE_PATH.search(parts.path):
            return None
        try:
            image = image_download(url, max_bytes=IMAGE_MAX_BYTES, timeout=FETCH_TIMEOUT_SECONDS)
        except ImageDownloadError:
            return None
        return _Fetched(url, image.data)
