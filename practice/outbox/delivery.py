"""Delivering one queued email: a lease, the SMTP conversation, then the outcome.

``message_deliver`` is the whole story; the rest are its steps. See ``services`` for
queueing, resending and the sweep.
"""

import functools
import logging
import random
import smtplib
from collections.abc import Sequence
from contextlib import suppress
from datetime import datetime, timedelta
from typing import Any

from anymail.exceptions import AnymailAPIError
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import DatabaseError, transaction
from django.db.models import Exists, F, OuterRef, prefetch_related_objects
from django.utils import timezone

from practice.outbox.batch_bytes import EmailBytes, has_attachments
from practice.outbox.models import OutboxAttachment, OutboxMessage
from practice.outbox.sent_marks import ERASED_CONTENT as ERASED_CONTENT  # also said here
from practice.outbox.sent_marks import SentMarks, sent_changes

logger = logging.getLogger(__name__)

#: Errors worth retrying: the mail server or the network may come back.
#: Celery's soft time limit cuts off an attempt stuck on a slow server: retry it too, under the
#: same Message-ID, rather than give the email up after one try out of OUTBOX_MAX_ATTEMPTS.
TRANSIENT_ERRORS = (smtplib.SMTPException, OSError, AnymailAPIError, SoftTimeLimitExceeded)
#: A delivery task that arrives this early (clock skew) still counts as on time.
CLOCK_TOLERANCE = timedelta(seconds=2)


def message_deliver(*, message_id: int) -> float | None:
    """Try once to send a queued message.

    Returns the seconds to wait before the next attempt when it should be retried, else None.

    Three steps, each its own short transaction, so no row lock is held while the mail
    server talks: (1) take a lease, writing "sending since now" on the row and counting the
    attempt; (2) send; (3) mark it sent (erasing a private body) or record the failure.
    While a lease holds (``OUTBOX_LEASE_SECONDS``), any other task for the message, or the
    sweep, leaves it alone.

    If the worker dies between (1) and (3), the lease is left behind and the sweep sends the
    message again once it has run out, with the same Message-ID. We retry rather than wait
    for a person to decide, because the worker most likely died before the mail server
    took the message (a restart, a lost connection), and a sign-up or password link held
    back is a lost one; the cost is that a worker dying in the instant between the server's
    "accepted" and step (3) gives her a second copy, which her mailbox shows as one message
    since the Message-ID is the same. So: at least once, one Message-ID, and the only
    possible duplicate is the copy of an attempt cut off by a crash.
    """
    message = _attempt_start(message_id)
    if message is None:
        return None
    connection = get_connection()
    try:
        try:
            connection.open()
            connection.send_messages([message_email(message)])
        except TRANSIENT_ERRORS as exc:
            return _attempt_failed(message, exc, retry=True)
        except Exception as exc:
            logger.exception("Email %s cannot be sent", message.pk)
            return _attempt_failed(message, exc, retry=False)
        _attempt_succeeded(message)
    finally:
        _close(connection)
    return None


def _attempt_start(message_id: int) -> OutboxMessage | None:
    """Take the lease on a queued, due message nobody is sending; None if there is nothing
    to do. Commits before the caller talks to the mail server."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, status=OutboxMessage.Status.QUEUED)
            .first()
        )
        if message is None or not _lease_take(message, now):
            return None
        message.save(update_fields=["attempts", "sending_since"])
    return message


def _lease_take(message: OutboxMessage, now: datetime) -> bool:
    """Count an attempt and write its lease on the locked row (the caller saves it); False
    when the message is not due, another attempt holds its lease, or its attempts ran out."""
    if _not_yet_due(message, now):
        return False
    if message.sending_since is not None:
        if message.sending_since > lease_start(now):
            return False  # another attempt is sending it right now
        if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            _give_up_cut_off(message)
            return False
        logger.warning(
            "Email %s: the attempt sending it since %s was cut off (its worker stopped) "
            "and may have reached her; sending again with the same Message-ID %s",
            message.pk,
            message.sending_since.isoformat(),
            message.message_id_header,
        )
    message.attempts += 1
    message.sending_since = now
    return True


def messages_deliver(*, message_ids: Sequence[int]) -> dict[int, float]:
    """Try once to send each of several queued messages, all over one SMTP connection.

    Returns ``{message id: seconds to wait}`` for the messages to try again on their own
    (``outbox.deliver``). The batch path of ``message_deliver``, with the same promises:
    every message takes its own lease first (all in one short transaction; a message
    another attempt holds is left to it), is marked sent the moment the server accepts it,
    keeps its Message-ID, and fails, retries or gives up on its own. A message the server
    refuses does not stop the others (a new connection is opened for the next one); if the
    server cannot be reached, each remaining message records a failed attempt and backs
    off. If the task's time limit cuts the batch short, the messages not yet tried give
    their lease back and are sent on their own at once.
    """
    messages = _attempts_start(message_ids)
    retries: dict[int, float] = {}
    connection = get_connection()
    builder = EmailBytes() if isinstance(connection, SMTPBackend) else None
    marks = SentMarks()
    tried = 0
    try:
        for message in messages:
            tried += 1
            try:
                connection.open()
                _send(connection, builder, marks, message)
            except DatabaseError:
                raise  # a mark failed: the batch stops, the sweep takes the rest up
            except TRANSIENT_ERRORS as exc:
                if isinstance(exc, SoftTimeLimitExceeded):
                    raise
                marks.wait()
                delay = _attempt_failed(message, exc, retry=True)
                if delay is not None:
                    retries[message.pk] = delay
                _close(connection)
                continue
            except Exception as exc:
                logger.exception("Email %s cannot be sent", message.pk)
                marks.wait()
                _attempt_failed(message, exc, retry=False)
                continue
            marks.send(message)
        marks.wait()
    except SoftTimeLimitExceeded as exc:
        marks.wait()
        cut = messages[tried - 1]
        delay = _attempt_failed(cut, exc, retry=True)
        if delay is not None:
            retries[cut.pk] = delay
        retries.update(dict.fromkeys(_leases_give_back(messages[tried:]), 0.0))
    finally:
        with suppress(DatabaseError):  # leaving on another error: free the connection
            marks.wait()
        _close(connection)
    return retries


def _send(
    connection: BaseEmailBackend,
    builder: EmailBytes | None,
    marks: SentMarks,
    message: OutboxMessage,
) -> None:
    """Send one email of a batch: its bytes from the batch's skeleton when it can be built
    that way (``batch_bytes``), else built by Django. The previous email's mark is awaited
    before the server can accept this one (``sent_marks``)."""
    smtp = connection.connection if isinstance(connection, SMTPBackend) else None
    built = builder.build(message) if builder is not None and smtp is not None else None
    if smtp is None or built is None:
        marks.wait()
        connection.send_messages([message_email(message)])
        return
    sender, to, data = built
    _envelope(smtp, sender, to, size=len(data))
    marks.wait()
    code, answer = smtp.data(data)
    if code != 250:
        _refused(smtp, code)
        raise smtplib.SMTPDataError(code, answer)


def _envelope(smtp: smtplib.SMTP, sender: str, to: str, *, size: int) -> None:
    """``MAIL FROM`` and ``RCPT TO`` as ``smtplib.SMTP.sendmail`` gives them (with the SIZE
    option when the server offers it), raising the same errors; ``to`` is a bare address."""
    smtp.ehlo_or_helo_if_needed()
    options = f" size={size}" if smtp.does_esmtp and smtp.has_extn("size") else ""
    code, answer = smtp.docmd("mail", f"FROM:{_quoted(sender)}{options}")
    if code != 250:
        _refused(smtp, code)
        raise smtplib.SMTPSenderRefused(code, answer, sender)
    code, answer = smtp.docmd("rcpt", f"TO:<{to}>")
    if code not in (250, 251):
        _refused(smtp, code)
        raise smtplib.SMTPRecipientsRefused({to: (code, answer)})


#: ``<address>`` of a sender as ``MAIL FROM`` takes it (a batch has one sender).
_quoted = functools.lru_cache(maxsize=16)(smtplib.quoteaddr)


def _refused(smtp: smtplib.SMTP, code: int) -> None:
    """After a refusal, as ``sendmail`` does: hang up on a 421, else ``RSET`` (a server
    already gone is fine)."""
    if code == 421:
        smtp.close()
        return
    with suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()


def _attempts_start(message_ids: Sequence[int]) -> list[OutboxMessage]:
    """``_attempt_start`` for many: the leases of every message that can go, in one commit.

    A row another attempt has locked is skipped (that attempt sends it)."""
    now = timezone.now()
    with transaction.atomic():
        locked = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(message_ids), status=OutboxMessage.Status.QUEUED)
            .annotate(
                has_attachments=Exists(OutboxAttachment.objects.filter(message=OuterRef("pk")))
            )
            .order_by("pk")
        )
        messages: list[OutboxMessage] = [m for m in locked if _lease_take(m, now)]
        # Every lease starts now and counts one attempt: one UPDATE for the batch.
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
            attempts=F("attempts") + 1, sending_since=now
        )
    # Only the few with attachments fetch them (a prefetch costs per message, not per row).
    prefetch_related_objects([m for m in messages if has_attachments(m)], "attachments")
    return messages


def _leases_give_back(messages: Sequence[OutboxMessage]) -> list[int]:
    """Undo the attempts never made: the lease and the count. Returns the ids given back."""
    given_back = []
    for message in messages:
        if OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxMessage.Status.QUEUED, sending_since=message.sending_since
        ).update(sending_since=None, attempts=F("attempts") - 1):
            given_back.append(message.pk)
    return given_back


def _give_up_cut_off(message: OutboxMessage) -> None:
    """Every attempt was cut off (a worker that dies on this message each time): stop, like
    any email whose attempts ran out, so it cannot loop forever or keep its secret link."""
    changes: dict[str, Any] = {
        "status": OutboxMessage.Status.FAILED,
        "sending_since": None,
        "next_attempt_at": None,
        "last_error": f"All {message.attempts} attempts were cut off before they finished.",
    }
    if message.private:
        changes.update(text_body=ERASED_CONTENT, html_body=ERASED_CONTENT)
    OutboxMessage.objects.filter(pk=message.pk).update(**changes)
    logger.error("Email %s: %s Giving up.", message.pk, changes["last_error"])


def _attempt_succeeded(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(**sent_changes(message, now=timezone.now()))


def _attempt_failed(message: OutboxMessage, exc: Exception, *, retry: bool) -> float | None:
    """Record a failed attempt: retry later, or give up (erasing a private body)."""
    last_error = f"{type(exc).__name__}: {exc}"[:2000]
    delay: float | None = None
    changes: dict[str, Any] = {"last_error": last_error, "sending_since": None}
    if retry and message.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        delay = _backoff(message.attempts)
        changes["next_attempt_at"] = timezone.now() + timedelta(seconds=delay)
    else:
        changes.update(status=OutboxMessage.Status.FAILED, next_attempt_at=None)
        if message.private:
            changes.update(text_body=ERASED_CONTENT, html_body=ERASED_CONTENT)
    # Only while this attempt still holds its lease: a later attempt owns the row otherwise.
    owned = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxMessage.Status.QUEUED, sending_since=message.sending_since
    ).update(**changes)
    if not owned:
        delay, outcome = None, "a later attempt has taken over"
    else:
        outcome = "giving up" if delay is None else f"retrying in {delay:.0f}s"
    logger.warning(
        "Email %s attempt %d failed (%s); %s", message.pk, message.attempts, last_error, outcome
    )
    return delay


def _close(connection: BaseEmailBackend) -> None:
    """Say goodbye to the mail server. Once it has accepted the message, a goodbye that
    fails changes nothing, so it must not make the message look unsent."""
    with suppress(*TRANSIENT_ERRORS):
        connection.close()


def lease_start(now: datetime) -> datetime:
    """Attempts that started before this have run out of lease: their worker is gone."""
    return now - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)


def _not_yet_due(message: OutboxMessage, now: datetime) -> bool:
    """A duplicate task for a message whose retry is scheduled leaves it to that retry."""
    due = message.next_attempt_at
    return due is not None and due > now + CLOCK_TOLERANCE


def _backoff(attempts: int) -> float:
    """Exponential backoff capped below the broker's visibility timeout, with jitter."""
    ceiling = min(
        settings.CELERY_RETRY_BACKOFF_MAX, settings.OUTBOX_RETRY_BACKOFF * 2 ** (attempts - 1)
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311


def message_email(message: OutboxMessage) -> EmailMultiAlternatives:
    """The outbox row as the email Django sends (the bench's plain loop builds the same one)."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text_body,
        from_email=message.sender,
        to=[message.to],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={**message.headers, "Message-ID": message.message_id_header},
    )
    # anymail backends pass it to the provider, whose bounce webhooks echo it back.
    email.metadata = {"outbox_key": message.idempotency_key}  # type: ignore[attr-defined]
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    # A batch's lease query said which have attachments; otherwise they are looked up.
    if not getattr(message, "has_attachments", True):
        return email
    for attachment in message.attachments.all():
        email.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return email
