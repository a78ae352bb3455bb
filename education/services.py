"""Writes for articles: save (with a kept version), restore, publish when due, body images.

Every write is one transaction; validation raises ``ValidationError`` with one message per
form field (``title``, ``slug``, ``summary``, ``status``, ``publish_at``, ``series_position``,
``hero_image``, ``hero_alt``...), so the writing page and the API answer alike. Public pages
are told to refresh (``public_pages_changed``) after a commit that changes what readers see.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from education.embeds import embeds_check
from education.images import image_read, image_save_web, images_delete
from education.models import (
    RESERVED_SLUGS,
    Article,
    ArticleImage,
    ArticleSlug,
    ArticleVersion,
    Series,
    Topic,
)
from practice.accounts.models import TherapistProfile, User
from practice.core.page_cache import public_pages_changed
from practice.scheduling.services import job_cancel, job_schedule

PUBLISH_JOB_KIND = "education.publish"
#: The highest part number a series takes (the column is a small integer; 999 is plenty).
SERIES_PARTS_MAX = 999
#: ``publish_at`` must fall before this year, so that its UTC time is a Python datetime.
PUBLISH_YEAR_LAST = 9999
#: The fields a version keeps and a restore brings back.
VERSIONED_FIELDS = ("title", "summary", "body")


@dataclass
class ArticleDraft:
    """What the writer submitted. ``slug`` blank: made from the title. ``publish_at`` is UTC
    (aware). ``hero_image`` is a new upload; ``hero_remove`` drops the current one."""

    title: str
    summary: str
    body: str
    author: TherapistProfile
    slug: str = ""
    status: str = Article.Status.DRAFT
    publish_at: datetime | None = None
    topics: Collection[Topic] = ()
    series: Series | None = None
    series_position: int | None = None
    hero_image: UploadedFile | None = None
    hero_alt: str = ""
    hero_remove: bool = False
    reviewed_on: date | None = None
    reviewed_by: str = ""
    references: str = ""
    note: str = ""


@dataclass
class ArticleSaved:
    article: Article
    #: References readers will not see (unknown exercises, unpublished articles), in words.
    warnings: list[str] = field(default_factory=list)


def article_save(*, article: Article | None, draft: ArticleDraft, editor: User) -> ArticleSaved:
    """Create (``article=None``) or update an article and keep the saved state as a version.

    Scheduling queues one publish job at ``publish_at`` (``education.publish``); any other
    status cancels it. A slug changed on an article keeps the old one answering (301).
    Raises ValidationError by field; nothing is written then (an uploaded image neither),
    also when another save takes the slug or series position at the same moment.
    """
    creating = article is None
    target = article or Article()
    errors: dict[str, list[str]] = {}
    slug = _slug_validate(draft, target, errors)
    _schedule_validate(draft, errors)
    position = _series_validate(draft, target, errors)
    _text_validate(draft, errors)
    has_image = bool(draft.hero_image) or (bool(target.hero_image) and not draft.hero_remove)
    if has_image and not draft.hero_alt.strip():
        errors.setdefault("hero_alt", []).append(
            "Describe the image for readers who cannot see it (for example: “A woman "
            "doing a lunge stretch on a yoga mat”)."
        )
    image = None
    if draft.hero_image:
        try:
            image = image_read(draft.hero_image)
        except ValidationError as error:
            errors.setdefault("hero_image", []).extend(error.messages)
    if errors:
        raise ValidationError(errors)

    was_public = (
        not creating
        and Article.objects.filter(pk=target.pk, status=Article.Status.PUBLISHED).exists()
    )
    new_files: list[str] = []
    old_files: list[str] = []
    if image is not None:
        web = image_save_web(image, folder="articles/heroes")
        new_files = list(web.sizes.values())
    try:
        with transaction.atomic():
            if not creating:
                target = Article.objects.select_for_update().get(pk=target.pk)
            old_slug = target.slug
            old_job_key = _publish_job_key(target) if not creating else ""
            changed = any(
                getattr(target, name) != getattr(draft, name) for name in VERSIONED_FIELDS
            )
            for name in (*VERSIONED_FIELDS, "author", "reviewed_on", "reviewed_by", "references"):
                setattr(target, name, getattr(draft, name))
            target.title, target.summary = draft.title.strip(), draft.summary.strip()
            target.slug = slug
            target.hero_alt = draft.hero_alt.strip() if has_image else ""
            target.series, target.series_position = draft.series, position
            if image is not None:
                old_files = list(target.hero_sizes.values())
                target.hero_image = web.largest
                target.hero_sizes = {str(width): name for width, name in web.sizes.items()}
                target.hero_width, target.hero_height = web.width, web.height
            elif draft.hero_remove:
                old_files = list(target.hero_sizes.values())
                target.hero_image, target.hero_sizes = "", {}
                target.hero_width = target.hero_height = None
            _status_apply(target, draft, was_public=was_public, changed=changed)
            target.save()
            target.topics.set(draft.topics)
            if old_slug and old_slug != slug:
                ArticleSlug.objects.filter(slug=slug).delete()
                ArticleSlug.objects.get_or_create(slug=old_slug, defaults={"article": target})
            _version_keep(target, editor=editor, note=draft.note)
            _publish_job_sync(target, old_key=old_job_key)
            if was_public or target.status == Article.Status.PUBLISHED:
                public_pages_changed()
            transaction.on_commit(lambda: images_delete(old_files))
    except IntegrityError as error:
        images_delete(new_files)
        raise ValidationError(
            _race_lost_errors(draft, article_pk=article.pk if article else None)
        ) from error
    except BaseException:
        images_delete(new_files)
        raise
    return ArticleSaved(article=target, warnings=embeds_check(target.body))


def _race_lost_errors(draft: ArticleDraft, *, article_pk: int | None) -> dict[str, list[str]]:
    """Field errors for a save that lost a race: another save took the address or the series
    position between this one's checks and its write (the database's unique constraints)."""
    errors: dict[str, list[str]] = {}
    probe = Article(pk=article_pk)
    _slug_validate(draft, probe, errors)
    _series_validate(draft, probe, errors)
    if not errors:
        errors[NON_FIELD_ERRORS] = [
            "Another change was saved at the same moment, so this one was not saved. "
            "Check the article and save again."
        ]
    return errors


def article_version_restore(*, article: Article, number: int, editor: User) -> ArticleSaved:
    """Bring back version ``number``'s title, summary and body as a new version (the current
    state stays in the history). Raises ValidationError when there is no such version."""
    version = ArticleVersion.objects.filter(article=article, number=number).first()
    if version is None:
        raise ValidationError({"version": [f"There is no version {number} of this article."]})
    draft = article_draft_from(article)
    draft.title, draft.summary, draft.body = version.title, version.summary, version.body
    draft.note = f"Restored version {number}"
    return article_save(article=article, draft=draft, editor=editor)


def article_draft_from(article: Article) -> ArticleDraft:
    """The article as it is, as a draft to change some fields of and save."""
    return ArticleDraft(
        title=article.title,
        summary=article.summary,
        body=article.body,
        author=article.author,
        slug=article.slug,
        status=article.status,
        publish_at=article.publish_at,
        topics=list(article.topics.all()),
        series=article.series,
        series_position=article.series_position,
        hero_alt=article.hero_alt,
        reviewed_on=article.reviewed_on,
        reviewed_by=article.reviewed_by,
        references=article.references,
    )


def article_publish_due(*, article_id: int) -> bool:
    """Publish a scheduled article whose time has come; True if this call published it.

    Called by the ``education.publish`` job. Still relevant? The article may have been
    deleted, unscheduled, published by hand, or moved to a later time (its job moved too).
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(pk=article_id).first()
        if article is None or article.status != Article.Status.SCHEDULED:
            return False
        if article.publish_at is None or article.publish_at > timezone.now():
            return False
        article.status = Article.Status.PUBLISHED
        article.published_at = article.published_at or article.publish_at
        article.save(update_fields=["status", "published_at", "updated_at"])
        public_pages_changed()
    return True


def article_image_upload(
    *, article: Article | None, upload: UploadedFile, alt: str, editor: User
) -> ArticleImage:
    """Store an image for an article's body (checked, resized to at most 1600 px wide).

    Raises ValidationError on ``image`` (type, size) or ``alt`` (required)."""
    errors: dict[str, list[str]] = {}
    if not alt.strip():
        errors["alt"] = ["Describe the image for readers who cannot see it."]
    try:
        image = image_read(upload)
    except ValidationError as error:
        errors["image"] = error.messages
    if errors:
        raise ValidationError(errors)
    web = image_save_web(image, folder="articles/images")
    images_delete([name for width, name in web.sizes.items() if width != max(web.sizes)])
    return ArticleImage.objects.create(
        article=article,
        image=web.largest,
        alt=alt.strip(),
        width=web.width,
        height=web.height,
        uploaded_by=editor,
    )


def _text_validate(draft: ArticleDraft, errors: dict[str, list[str]]) -> None:
    if not draft.title.strip():
        errors.setdefault("title", []).append("Give the article a title.")
    elif len(draft.title.strip()) > 200:
        errors.setdefault("title", []).append("Keep the title to 200 characters or fewer.")
    if not draft.summary.strip():
        errors.setdefault("summary", []).append(
            "Write a sentence or two for the list, feeds and search engines."
        )
    elif len(draft.summary.strip()) > 300:
        errors.setdefault("summary", []).append("Keep the summary to 300 characters or fewer.")


def _slug_validate(draft: ArticleDraft, target: Article, errors: dict[str, list[str]]) -> str:
    slug = (draft.slug.strip() or slugify(draft.title))[:200].strip("-").lower()
    if not slug:
        errors.setdefault("slug", []).append(
            "Give the article an address: letters, numbers and hyphens."
        )
        return slug
    try:
        validate_slug(slug)
    except ValidationError:
        errors.setdefault("slug", []).append(
            "Use only letters, numbers and hyphens in the address (e.g. weak-glutes)."
        )
        return slug
    if slug in RESERVED_SLUGS:
        errors.setdefault("slug", []).append(
            f"“{slug}” is a word the site uses for its own pages; choose another address."
        )
    taken = Article.objects.filter(slug=slug).exclude(pk=target.pk).exists()
    taken = taken or ArticleSlug.objects.filter(slug=slug).exclude(article_id=target.pk).exists()
    if taken:
        errors.setdefault("slug", []).append(
            f"Another article already uses the address “{slug}” (now or before); choose another."
        )
    return slug


def _schedule_validate(draft: ArticleDraft, errors: dict[str, list[str]]) -> None:
    if draft.status not in Article.Status.values:
        errors.setdefault("status", []).append("Choose draft, scheduled, published or archived.")
    if draft.publish_at is not None and timezone.is_naive(draft.publish_at):
        raise ValueError("publish_at must be timezone-aware.")
    if draft.status == Article.Status.SCHEDULED:
        if draft.publish_at is None:
            errors.setdefault("publish_at", []).append("Choose when the article should go live.")
        elif draft.publish_at <= timezone.now():
            errors.setdefault("publish_at", []).append(
                "This time has passed: choose a time in the future, or publish now."
            )
    if draft.publish_at is not None and draft.publish_at.year >= PUBLISH_YEAR_LAST:
        # Its UTC time may fall in the year 10000: stored, but never readable again.
        errors.setdefault("publish_at", []).append(
            f"Choose a time before the year {PUBLISH_YEAR_LAST}."
        )


def _series_validate(
    draft: ArticleDraft, target: Article, errors: dict[str, list[str]]
) -> int | None:
    if draft.series is None:
        return None
    siblings = Article.objects.filter(series=draft.series).exclude(pk=target.pk)
    if draft.series_position is None:
        highest = siblings.aggregate(highest=Max("series_position"))["highest"]
        return (highest or 0) + 1
    if draft.series_position < 1:
        errors.setdefault("series_position", []).append("Number the parts from 1.")
    elif draft.series_position > SERIES_PARTS_MAX:
        errors.setdefault("series_position", []).append(
            f"A series can have at most {SERIES_PARTS_MAX} parts."
        )
    elif siblings.filter(series_position=draft.series_position).exists():
        other = siblings.get(series_position=draft.series_position)
        errors.setdefault("series_position", []).append(
            f"“{other.title}” is already part {draft.series_position} of this series."
        )
    return draft.series_position


def _status_apply(target: Article, draft: ArticleDraft, *, was_public: bool, changed: bool) -> None:
    now = timezone.now()
    target.status = draft.status
    target.publish_at = draft.publish_at if draft.status == Article.Status.SCHEDULED else None
    if draft.status == Article.Status.PUBLISHED:
        if target.published_at is None:
            target.published_at = now
        elif was_public and changed:
            target.revised_at = now


def _version_keep(article: Article, *, editor: User, note: str) -> None:
    highest = article.versions.aggregate(highest=Max("number"))["highest"] or 0
    ArticleVersion.objects.create(
        article=article,
        number=highest + 1,
        title=article.title,
        slug=article.slug,
        summary=article.summary,
        body=article.body,
        status=article.status,
        saved_by=editor,
        note=note[:200],
    )


def _publish_job_key(article: Article) -> str:
    """One job per scheduled time: a job that has run never runs again, so an article
    scheduled anew (after being published and archived) needs a key of its own."""
    if article.status != Article.Status.SCHEDULED or article.publish_at is None:
        return ""
    return f"education.article:{article.pk}:publish:{int(article.publish_at.timestamp())}"


def _publish_job_sync(article: Article, *, old_key: str) -> None:
    key = _publish_job_key(article)
    if old_key and old_key != key:
        job_cancel(key=old_key)
    if key and article.publish_at is not None:
        job_schedule(
            kind=PUBLISH_JOB_KIND,
            key=key,
            due_at=article.publish_at,
            payload={"article_id": article.pk},
        )
