"""The one email path: queue a message as a row, deliver it from a Celery task.

Nothing else in the project builds or sends email; everything calls ``email_queue``.
"""

import logging
import random
import smtplib
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from email.utils import make_msgid, parseaddr
from functools import partial
from typing import Any

from anymail.exceptions import AnymailAPIError
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import IntegrityError, transaction
from django.utils import timezone

from practice.outbox.models import OutboxAttachment, OutboxMessage
from practice.outbox.rendering import render_email
from practice.outbox.types import Attachment

logger = logging.getLogger(__name__)

#: Errors worth retrying: the mail server or the network may come back.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, AnymailAPIError)
#: A delivery task that arrives this early (clock skew) still counts as on time.
CLOCK_TOLERANCE = timedelta(seconds=2)
#: What a private message's body becomes once it is sent: its secret link must not linger.
ERASED_CONTENT = "(Erased after sending: this email held a private link.)"


def email_queue(
    *,
    to: str,
    template: str,
    context: Mapping[str, Any],
    idempotency_key: str,
    headers: Mapping[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
    reply_to: str = "",
    private: bool = False,
) -> OutboxMessage:
    """Render ``templates/emails/<template>.*`` and queue the email once per idempotency key.

    ``private`` marks an email holding a secret link: hidden from staff, erased once sent.
    """
    existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    subject, text, html = render_email(template=template, context=context)
    return email_queue_rendered(
        to=to,
        subject=subject,
        text=text,
        html=html,
        idempotency_key=idempotency_key,
        headers=headers,
        attachments=attachments,
        reply_to=reply_to,
        private=private,
    )


def email_queue_rendered(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    idempotency_key: str,
    headers: Mapping[str, str] | None = None,
    attachments: Sequence[Attachment] = (),
    reply_to: str = "",
    private: bool = False,
) -> OutboxMessage:
    """Queue an already rendered email; delivery starts only when the transaction commits."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.create(
                    idempotency_key=idempotency_key,
                    to=to,
                    reply_to=reply_to,
                    subject=subject,
                    text_body=text,
                    html_body=html,
                    headers=dict(headers or {}),
                    private=private,
                    message_id_header=_new_message_id(),
                    next_attempt_at=timezone.now(),
                )
        except IntegrityError:
            existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
            if existing is None:
                raise
            return existing
        OutboxAttachment.objects.bulk_create(
            OutboxAttachment(
                message=message, filename=a.filename, mimetype=a.mimetype, content=a.content
            )
            for a in attachments
        )
        _enqueue(message.pk)
    return message


def message_deliver(*, message_id: int) -> float | None:
    """Try once to send a queued message.

    Returns the seconds to wait before the next attempt when it should be retried, else None.
    The row stays locked while the mail server talks, so a duplicate task waits and then sees
    the message already sent.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutboxMessage.Status.QUEUED)
            .first()
        )
        if message is None or _not_yet_due(message):
            return None
        message.attempts += 1
        try:
            _send(message)
        except TRANSIENT_ERRORS as exc:
            return _record_failure(message, exc, retry=True)
        except Exception as exc:
            logger.exception("Email %s cannot be sent", message.pk)
            return _record_failure(message, exc, retry=False)
        message.status = OutboxMessage.Status.SENT
        message.sent_at = timezone.now()
        message.next_attempt_at = None
        message.last_error = ""
        if message.private:
            message.text_body = message.html_body = ERASED_CONTENT
        message.save()
    return None


def messages_resend(*, message_ids: Iterable[int]) -> int:
    """Queue sent or failed messages again, with a fresh set of attempts. Returns how many.

    A private message whose content was erased after sending cannot be sent again: she asks
    for a new link instead.
    """
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(
                pk__in=list(message_ids),
                status__in=[OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED],
            )
            .exclude(private=True, status=OutboxMessage.Status.SENT)
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(
            status=OutboxMessage.Status.QUEUED,
            attempts=0,
            last_error="",
            sent_at=None,
            next_attempt_at=timezone.now(),
        )
        for pk in ids:
            _enqueue(pk)
    return len(ids)


def outbox_sweep(*, limit: int = 500) -> int:
    """Re-enqueue queued messages whose delivery is long overdue (their task was lost).

    Returns how many. Marking them as just attempted-for keeps the next sweep from piling
    up duplicates while the new tasks wait in the queue.
    """
    now = timezone.now()
    overdue = now - timedelta(seconds=settings.OUTBOX_SWEEP_AFTER)
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.filter(
                status=OutboxMessage.Status.QUEUED, next_attempt_at__lte=overdue
            )
            .select_for_update(skip_locked=True)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        OutboxMessage.objects.filter(pk__in=ids).update(next_attempt_at=now)
        for pk in ids:
            _enqueue(pk)
    if ids:
        logger.warning("Outbox sweep re-enqueued %d overdue emails", len(ids))
    return len(ids)


def _enqueue(message_id: int) -> None:
    """Like ``deliver.delay_on_commit``, but robust: the row is saved, so a broker hiccup
    after the commit must not fail the caller; the sweep delivers the message later."""
    from practice.outbox.tasks import deliver

    transaction.on_commit(partial(deliver.delay, message_id), robust=True)


def _not_yet_due(message: OutboxMessage) -> bool:
    """A duplicate task for a message whose retry is scheduled leaves it to that retry."""
    due = message.next_attempt_at
    return due is not None and due > timezone.now() + CLOCK_TOLERANCE


def _record_failure(message: OutboxMessage, exc: Exception, *, retry: bool) -> float | None:
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    delay: float | None = None
    if retry and message.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        delay = _backoff(message.attempts)
        message.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    else:
        message.status = OutboxMessage.Status.FAILED
        message.next_attempt_at = None
    message.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])
    logger.warning(
        "Email %s attempt %d failed (%s)%s",
        message.pk,
        message.attempts,
        message.last_error,
        f"; retrying in {delay:.0f}s" if delay is not None else "; giving up",
    )
    return delay


def _backoff(attempts: int) -> float:
    """Exponential backoff capped below the broker's visibility timeout, with jitter."""
    ceiling = min(
        settings.CELERY_RETRY_BACKOFF_MAX, settings.OUTBOX_RETRY_BACKOFF * 2 ** (attempts - 1)
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311


def _send(message: OutboxMessage) -> None:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={**message.headers, "Message-ID": message.message_id_header},
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    email.send()


def _new_message_id() -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return make_msgid(domain=domain or str(DNS_NAME))
