"""Campaigns (newsletters the therapist writes and sends) and one delivery per recipient.

A campaign is written as a ``draft``; sending it (now, or at ``scheduled_at`` through a Job
row) freezes its content and makes one ``Delivery`` row per recipient of its audience. The
fan-out (``newsletter.fanout``) then works through the ``pending`` deliveries in batches,
handing each to the outbox under one idempotency key per (campaign, subscriber). Progress
(sent, failed, remaining) is read from the deliveries and their outbox messages.

Life cycle: ``draft`` -> ``scheduled`` -> ``sending`` <-> ``paused`` -> ``sent``; a
scheduled, sending or paused campaign can be ``cancelled`` (the deliveries not yet handed
to the outbox never go out).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from newsletter.models.subscribers import Subscriber, Tag
from practice.outbox.models import OutboxMessage


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        SENDING = "sending", "Sending"
        PAUSED = "paused", "Paused"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    #: Content and audience can be edited only in these: after that every recipient must get
    #: the same copy.
    EDITABLE = (Status.DRAFT, Status.SCHEDULED)
    #: Campaigns that have started: shown in the public archive once sent.
    STARTED = (Status.SENDING, Status.PAUSED, Status.SENT, Status.CANCELLED)

    subject = models.CharField(max_length=200)
    preheader = models.CharField(
        max_length=200,
        blank=True,
        help_text="The short line many mail apps show after the subject in the inbox.",
    )
    #: Markdown, rendered and sanitised by ``practice.core.markdown.markdown_render``.
    body = models.TextField(help_text="Markdown: **bold**, *italic*, lists, links, headings.")
    #: The article the body was pre-filled from, if any (its slug when it was chosen).
    source_article = models.CharField(max_length=200, blank=True)
    audience_all = models.BooleanField(
        "send to everyone", default=True, help_text="Otherwise only to the segments chosen."
    )
    audience_tags = models.ManyToManyField(
        Tag, blank=True, related_name="campaigns", verbose_name="segments"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    #: When a ``scheduled`` campaign starts (UTC); a Job row claims it then.
    scheduled_at = models.DateTimeField(null=True, blank=True)
    #: The HTML of ``body`` frozen when sending started: every recipient gets this copy.
    body_html = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: When the last batch was handed to the outbox: the rate limit's clock.
    last_batch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-started_at"], name="newsletter_campaign_state")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="scheduled") | Q(scheduled_at__isnull=False),
                name="newsletter_campaign_scheduled_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE


class Delivery(models.Model):
    """One recipient of one campaign: the unit the fan-out works through, exactly once.

    ``pending`` until its batch comes; then ``queued`` (handed to the outbox as ``message``,
    which sends it) or ``skipped`` (she unsubscribed, bounced, complained or paused before
    her batch: ``skipped_reason`` says which).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for its batch"
        QUEUED = "queued", "Handed to the outbox"
        SKIPPED = "skipped", "Skipped"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="campaign_deliveries"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    skipped_reason = models.CharField(max_length=40, blank=True)
    message = models.ForeignKey(
        OutboxMessage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "subscriber"], name="newsletter_one_delivery_per_subscriber"
            )
        ]
        indexes = [
            models.Index(
                fields=["campaign", "id"],
                name="newsletter_delivery_pending",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.subscriber_id}"
