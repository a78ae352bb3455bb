"""Articles the therapist writes: topics, series, every saved version, and old slugs.

Rules the database can hold are constraints here; the rest (reserved slugs, a slug stable
once published, hero images checked by content) lives in ``education.services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

#: Route words under /articles/ that can never be an article's slug.
RESERVED_SLUGS = frozenset(
    {
        "feed",
        "atom",
        "rss",
        "topics",
        "topic",
        "series",
        "search",
        "write",
        "preview",
        "new",
        "images",
        "media",
        "page",
        "api",
        "sitemap",
        "admin",
    }
)


class Topic(models.Model):
    """A subject readers filter by ("Hips and glutes", "Bone health")."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True, help_text="Plain text, shown on the topic page.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("education:topic", kwargs={"slug": self.slug})


class Series(models.Model):
    """Articles meant to be read in order; each article may sit at one position of one series."""

    title = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:series", kwargs={"slug": self.slug})


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(
        max_length=300,
        help_text="One or two sentences: the list, feeds and search engines show it.",
    )
    body = models.TextField(blank=True, help_text="Markdown.")
    author = models.ForeignKey(
        "accounts.TherapistProfile", on_delete=models.PROTECT, related_name="articles"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    #: When a scheduled article goes live (UTC).
    publish_at = models.DateTimeField(null=True, blank=True)
    #: When it first went live (UTC); kept when it is archived and published again.
    published_at = models.DateTimeField(null=True, blank=True)
    #: When its published words last changed (UTC): the "updated" date readers see.
    revised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    series_position = models.PositiveSmallIntegerField(null=True, blank=True)

    #: The largest web size of the hero image; the other widths are in ``hero_sizes``.
    hero_image = models.ImageField(upload_to="articles/heroes/", blank=True)
    hero_alt = models.CharField("hero image description", max_length=250, blank=True)
    hero_width = models.PositiveIntegerField(null=True, blank=True)
    hero_height = models.PositiveIntegerField(null=True, blank=True)
    #: {"480": "articles/heroes/…-480.jpg", …}: storage names by width in pixels.
    hero_sizes = models.JSONField(default=dict, blank=True)

    reviewed_on = models.DateField(null=True, blank=True)
    reviewed_by = models.CharField(max_length=200, blank=True)
    #: One reference a line (a citation, or a URL).
    references = models.TextField(blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"], name="article_status_pub")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(publish_at__isnull=False),
                name="article_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(hero_image="") | ~Q(hero_alt=""), name="article_hero_has_alt"
            ),
            models.CheckConstraint(
                condition=Q(series__isnull=True) | Q(series_position__isnull=False),
                name="article_series_has_position",
            ),
            models.UniqueConstraint(
                fields=["series", "series_position"], name="article_series_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("education:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def hero_srcset(self) -> str:
        """The hero image's web copies for ``srcset`` ("/media/...-480.jpg 480w, ...")."""
        storage = self.hero_image.storage
        sizes = sorted((int(width), name) for width, name in self.hero_sizes.items())
        return ", ".join(f"{storage.url(name)} {width}w" for width, name in sizes)


class ArticleVersion(models.Model):
    """One saved state of an article: every save keeps one, so any can be compared or restored."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    summary = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Article.Status.choices)
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="article_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class ArticleSlug(models.Model):
    """A slug an article answered to before: its old URL redirects (301) to the current one,
    and ``[[article:old-slug]]`` links still find it."""

    slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.slug


class ArticleImage(models.Model):
    """An image uploaded into an article's body (checked and resized like hero images)."""

    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="images"
    )
    image = models.ImageField(upload_to="articles/images/")
    alt = models.CharField("description", max_length=250)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.alt
