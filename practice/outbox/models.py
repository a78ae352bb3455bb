"""Every email the site sends is a row here first; a Celery task delivers it.

A message is ``queued`` until delivery succeeds (``sent``) or its attempts run out
(``failed``). While an attempt talks to the mail server the row says since when it is
``sending``. Staff may resend a sent or failed message, which queues it again under a new
Message-ID.

A ``private`` message carries a secret link (confirm an address, reset a password, accept an
invite): staff never see its content, and the content is erased once it is sent or has
failed for good, so it can never be sent again (she asks for a new link instead).
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    #: A private message's content is erased once it reaches one of these.
    FINISHED = (Status.SENT, Status.FAILED)

    #: Unique (``outbox_idempotency_key_unique``, a constraint rather than ``unique=True``,
    #: so PostgreSQL keeps no second ``LIKE`` index that every insert would have to write).
    idempotency_key = models.CharField(max_length=255)
    #: The From header, built as an address (``email.headerregistry.Address``) when queued.
    sender = models.CharField(max_length=500)
    to = models.EmailField("recipient")
    reply_to = models.EmailField(blank=True)
    subject = models.TextField()
    text_body = models.TextField()
    html_body = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    private = models.BooleanField(
        default=False,
        help_text="Holds a secret link: hidden from staff, erased once sent or failed.",
    )
    #: The RFC 5322 Message-ID, kept by every automatic attempt so that a mailbox shows one
    #: message even if two copies arrive; a staff resend gets a new one (a mailbox would
    #: drop a message whose ID it has already seen).
    #: Unique (``outbox_message_id_unique``), as ``idempotency_key``.
    message_id_header = models.CharField("Message-ID", max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    #: When the next delivery attempt is expected; the sweep re-enqueues it when long overdue.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    #: The lease of the attempt talking to the mail server now, written before it starts:
    #: no other attempt starts until it ends or OUTBOX_LEASE_SECONDS have passed.
    sending_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "email"
        verbose_name_plural = "emails"
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key"], name="outbox_idempotency_key_unique"
            ),
            models.UniqueConstraint(fields=["message_id_header"], name="outbox_message_id_unique"),
        ]
        # Write cost: every email is inserted, leased and marked sent, three row versions.
        # The lease changes only unindexed columns (attempts, sending_since), so with room
        # left in each page (fillfactor 50, set in migration 0004) it is a HOT update that
        # writes no index entry. The mark changes status, so it writes every index.
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_queued_next_attempt",
                condition=Q(status="queued"),
            ),
            models.Index(fields=["status", "-created_at"], name="outbox_status_created"),
            # Erasure finds a person's emails by recipient, compared case-insensitively
            # (``to__iexact`` is ``UPPER("to"::text) = UPPER(%s)`` on PostgreSQL).
            models.Index(Upper("to"), name="outbox_to_upper"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    @property
    def content_erased(self) -> bool:
        return self.private and self.status in self.FINISHED


class OutboxAttachment(models.Model):
    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField()

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename
