"""The free guide (the lead magnet) and every download of it."""

from django.db import models
from django.db.models import Q


class LeadMagnet(models.Model):
    """A free download given for joining the list; the active one is the guide she is sent.

    At most one is active at a time (a database constraint): the sign-up offers that one.
    """

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    cover_image = models.ImageField(upload_to="newsletter/covers/", blank=True)
    cover_image_alt = models.CharField("cover image description", max_length=200, blank=True)
    pdf = models.FileField("PDF file", upload_to="newsletter/guides/")
    #: The name the download is saved under (``8-lifestyle-changes-for-better-bone-health.pdf``).
    filename = models.CharField(max_length=120)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-active", "-created_at"]
        verbose_name = "guide"
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="newsletter_one_active_guide"
            )
        ]

    def __str__(self) -> str:
        return self.title


class GuideDownload(models.Model):
    """One download through a subscriber's signed link."""

    lead_magnet = models.ForeignKey(LeadMagnet, on_delete=models.CASCADE, related_name="downloads")
    subscriber = models.ForeignKey(
        "newsletter.Subscriber", on_delete=models.CASCADE, related_name="downloads"
    )
    downloaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-downloaded_at"]
        indexes = [models.Index(fields=["subscriber", "lead_magnet"])]

    def __str__(self) -> str:
        return f"{self.lead_magnet} {self.downloaded_at:%Y-%m-%d %H:%M}"
