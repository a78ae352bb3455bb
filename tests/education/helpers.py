"""Articles for tests, made through the same service the writing page uses."""

import io
import itertools
from datetime import timedelta
from typing import Any

from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from education.models import Article, Series, Topic
from education.services import ArticleDraft, article_save
from practice.accounts.models import User

_serial = itertools.count(1)


def topic_make(name: str, slug: str = "") -> Topic:
    return Topic.objects.create(name=name, slug=slug or name.lower().replace(" ", "-"))


def series_make(title: str) -> Series:
    return Series.objects.create(title=title, slug=title.lower().replace(" ", "-"))


def article_make(author: User, *, status: str = Article.Status.PUBLISHED, **fields: Any) -> Article:
    """A published article by ``author`` (a therapist with a profile) unless told otherwise."""
    n = next(_serial)
    values: dict[str, Any] = {
        "title": f"Article {n}",
        "summary": f"What article {n} is about.",
        "body": f"The body of article {n}.",
        "author": author.therapist_profile,
        "status": status,
    }
    if status == Article.Status.SCHEDULED:
        values["publish_at"] = timezone.now() + timedelta(days=1)
    values.update(fields)
    return article_save(article=None, draft=ArticleDraft(**values), editor=author).article


def image_upload(
    size: tuple[int, int] = (2400, 1200), *, fmt: str = "PNG", name: str = "photo.png"
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 90)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def html_of(markup: str | bytes) -> Any:
    """Parsed HTML to query with CSS selectors (typed loosely: tests index what they find)."""
    return BeautifulSoup(markup, "html.parser")
