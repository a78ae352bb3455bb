"""What the mail provider reported about a subscriber's mail: bounces and complaints.

Every report is kept (``BounceEvent``), so the therapist can see in the admin why someone
was suppressed; ``newsletter.bounces`` decides what each report does to the subscriber.
"""

from django.db import models

from newsletter.models.campaigns import Campaign
from newsletter.models.subscribers import Subscriber


class BounceEvent(models.Model):
    """One report from the mail provider (django-anymail tracking event) about one subscriber."""

    class Kind(models.TextChoices):
        #: Permanent failure (RFC 3463 class 5, anymail ``bounced``/``rejected``): suppresses.
        HARD = "hard", "Hard bounce (permanent)"
        #: Temporary failure (RFC 3463 class 4, anymail ``deferred``): counted.
        SOFT = "soft", "Soft bounce (temporary)"
        COMPLAINT = "complaint", "Spam complaint"
        UNSUBSCRIBE = "unsubscribe", "Unsubscribed at the provider"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="bounces")
    #: The provider's name and event id (anymail ``esp_name``, ``event_id``): a report that
    #: arrives twice is recorded once per subscriber (one provider event may name several
    #: recipients: Amazon SES's notification id is shared by all its bounced recipients).
    provider = models.CharField(max_length=40)
    event_id = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    #: anymail's normalised event type (``bounced``, ``deferred``, ``rejected``, ...).
    event_type = models.CharField(max_length=20)
    #: When the provider says it happened (UTC); the soft-bounce window is measured on it.
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    #: RFC 3463 enhanced status code (``5.1.1``) or RFC 5321 reply code (``550``), if given.
    status_code = models.CharField(max_length=20, blank=True)
    description = models.TextField(blank=True)
    #: The receiving server's answer as the provider passed it on (anymail ``mta_response``).
    diagnostic = models.TextField(blank=True)
    #: The outbox email it is about (its idempotency key), when the provider echoes it.
    message_key = models.CharField(max_length=255, blank=True)
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces"
    )
    #: Whether this report changed her status (the hard bounce, the complaint, the soft
    #: bounce that reached the limit).
    suppressed = models.BooleanField(default=False)
    #: When a delivery reported later lifted the suppression this soft bounce made (UTC):
    #: soft bounces are transient (RFC 3463 class 4), a delivery shows the mailbox works.
    lifted_at = models.DateTimeField("lifted by a later delivery at", null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = "bounce or complaint"
        verbose_name_plural = "bounces and complaints"
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id", "subscriber"],
                name="newsletter_bounce_event_once_each",
            )
        ]
        indexes = [models.Index(fields=["subscriber", "kind", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"
