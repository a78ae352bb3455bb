"""Every email the site sends is a row here first; a Celery task delivers it.

A message is ``queued`` until delivery succeeds (``sent``) or its attempts run out
(``failed``). Staff may resend a sent or failed message, which queues it again.

A ``private`` message carries a secret link (confirm an address, reset a password, accept an
invite): staff never see its content, and the content is erased once it is sent.
"""

from django.db import models
from django.db.models import Q


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    idempotency_key = models.CharField(max_length=255, unique=True)
    to = models.EmailField("recipient")
    reply_to = models.EmailField(blank=True)
    subject = models.TextField()
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    private = models.BooleanField(
        default=False,
        help_text="Holds a secret link: hidden from staff and erased once sent.",
    )
    #: The RFC 5322 Message-ID, fixed at creation so a resend is recognisably the same email.
    message_id_header = models.CharField("Message-ID", max_length=255, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    #: When the next delivery attempt is expected; the sweep re-enqueues it when long overdue.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "email"
        verbose_name_plural = "emails"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_queued_next_attempt",
                condition=Q(status="queued"),
            ),
            models.Index(fields=["status", "-created_at"], name="outbox_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    @property
    def content_erased(self) -> bool:
        return self.private and self.status == self.Status.SENT


class OutboxAttachment(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename
