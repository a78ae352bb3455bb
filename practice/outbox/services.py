"""The one email path: queue a message as a row, deliver it from a Celery task.

Nothing else in the project builds or sends email; everything calls ``email_queue``.

Delivery (``delivery.message_deliver``, run by the ``outbox.deliver`` task) is at least once,
always under the message's one Message-ID; its docstring says how a second copy can happen.
"""

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from email.headerregistry import Address
from email.utils import getaddresses, make_msgid
from typing import Any

from django.conf import settings
from django.core.mail.utils import DNS_NAME
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import punycode

from practice.core.selectors import practice_profile
from practice.outbox.delivery import lease_start
from practice.outbox.models import OutboxAttachment, OutboxMessage
from practice.outbox.rendering import render_email
from practice.outbox.types import Attachment, RenderedEmail

logger = logging.getLogger(__name__)


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

    ``private`` marks an email holding a secret link: hidden from staff, erased once sent
    or failed for good.
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
    sender = _sender()
    with transaction.atomic():
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.create(
                    idempotency_key=idempotency_key,
                    sender=sender,
                    to=to,
                    reply_to=reply_to,
                    subject=subject,
                    text_body=text,
                    html_body=html,
                    headers=dict(headers or {}),
                    private=private,
                    message_id_header=_new_message_id(sender),
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


def emails_queue_rendered(*, emails: Sequence[RenderedEmail]) -> list[OutboxMessage]:
    """Queue many rendered emails at once, to be delivered together over one connection.

    For a batch of a newsletter campaign: one INSERT for the batch instead of one per email,
    and one ``outbox.deliver_batch`` task after the transaction commits instead of one task
    (and one SMTP connection) per email. Each email keeps every promise of ``email_queue``:
    once per idempotency key (an email whose key is already queued is returned as it is and
    not queued again), one Message-ID for all its automatic attempts, its own lease, retries
    and sweep. Returns the messages in the order of ``emails`` (one per distinct key).
    """
    by_key = {email.idempotency_key: email for email in emails}
    if not by_key:
        return []
    sender = _sender()
    domain = _message_id_domain(sender)
    now = timezone.now()
    with transaction.atomic():
        found = {
            message.idempotency_key: message
            for message in OutboxMessage.objects.filter(idempotency_key__in=list(by_key))
        }
        new = [
            OutboxMessage(
                idempotency_key=key,
                sender=sender,
                to=email.to,
                subject=email.subject,
                text_body=email.text,
                html_body=email.html,
                headers=dict(email.headers),
                message_id_header=make_msgid(domain=domain),
                next_attempt_at=now,
            )
            for key, email in by_key.items()
            if key not in found
        ]
        try:
            with transaction.atomic():
                created = OutboxMessage.objects.bulk_create(new)
        except IntegrityError:
            # Another transaction queued some of these keys meanwhile: one by one, then.
            created = [
                email_queue_rendered(
                    to=m.to,
                    subject=m.subject,
                    text=m.text_body,
                    html=m.html_body,
                    idempotency_key=m.idempotency_key,
                    headers=m.headers,
                )
                for m in new
            ]
        else:
            if created:
                _enqueue_batch([message.pk for message in created])
        found.update((message.idempotency_key, message) for message in created)
    return [found[key] for key in by_key]


def messages_resend(*, message_ids: Iterable[int]) -> int:
    """Queue sent or failed messages again, with a fresh set of attempts. Returns how many.

    Each gets a new Message-ID: a mailbox that has seen a Message-ID drops a second message
    carrying it, so a resend under the old one might never show. A private message cannot
    be sent again, since its content was erased: she asks for a new link instead.
    """
    with transaction.atomic():
        messages = list(
            OutboxMessage.objects.select_for_update().filter(
                pk__in=list(message_ids), status__in=OutboxMessage.FINISHED, private=False
            )
        )
        now = timezone.now()
        for message in messages:
            message.status = OutboxMessage.Status.QUEUED
            message.message_id_header = _new_message_id(message.sender)
            message.attempts = 0
            message.last_error = ""
            message.sent_at = None
            message.next_attempt_at = now
            message.save(
                update_fields=[
                    "status",
                    "message_id_header",
                    "attempts",
                    "last_error",
                    "sent_at",
                    "next_attempt_at",
                ]
            )
            _enqueue(message.pk)
    return len(messages)


def outbox_sweep(*, limit: int = 500) -> int:
    """Re-enqueue queued messages whose task was lost or whose worker died. Returns how many.

    A message is picked when its delivery is ``OUTBOX_SWEEP_AFTER`` seconds overdue and no
    attempt holds a lease on it (none is sending, or the one sending has been at it for
    longer than ``OUTBOX_LEASE_SECONDS``, so its worker is gone). Marking them as just
    attempted-for keeps the next sweep from piling up duplicates while the new tasks wait.
    """
    now = timezone.now()
    overdue = now - timedelta(seconds=settings.OUTBOX_SWEEP_AFTER)
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.filter(
                Q(sending_since__isnull=True) | Q(sending_since__lte=lease_start(now)),
                status=OutboxMessage.Status.QUEUED,
                next_attempt_at__lte=overdue,
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

    def deliver_after_commit() -> None:  # named: Django's robust error log needs a __qualname__
        deliver.delay(message_id)

    transaction.on_commit(deliver_after_commit, robust=True)


def _enqueue_batch(message_ids: list[int]) -> None:
    """One ``deliver_batch`` task for the batch, after the commit; robust like ``_enqueue``."""
    from practice.outbox.tasks import deliver_batch

    def deliver_batch_after_commit() -> None:  # named, like ``_enqueue``'s callback
        deliver_batch.delay(message_ids)

    transaction.on_commit(deliver_batch_after_commit, robust=True)


def _sender() -> str:
    """The From header: DEFAULT_FROM_EMAIL when the operator set it, else the practice's own.

    An address the operator set is the one the mail provider accepts for the domain, so it
    wins over the admin-editable profile. Otherwise the practice profile's name and email,
    built with ``Address`` (quoted as needed: "Strong Bones PT, LLC" stays one address), or
    the default from the settings if the profile has no email.
    """
    if settings.OUTBOX_FROM_EMAIL:
        return str(settings.OUTBOX_FROM_EMAIL)
    profile = practice_profile()
    if not profile.email:
        return str(settings.DEFAULT_FROM_EMAIL)
    return str(Address(display_name=profile.name, addr_spec=profile.email))


def _new_message_id(sender: str) -> str:
    """A fresh Message-ID on the sender's domain (mail providers check they match)."""
    return make_msgid(domain=_message_id_domain(sender))


def _message_id_domain(sender: str) -> str:
    """The domain of the sender's address (this machine's name if it has none)."""
    [(_, address)] = getaddresses([sender])
    domain = address.rpartition("@")[2]
    return punycode(domain) if domain else str(DNS_NAME)


def messages_erase(*, to: str, idempotency_key_prefix: str) -> int:
    """Delete every email to ``to`` whose idempotency key starts with the prefix, queued or
    not (the right to erasure: queued ones never go out). Returns how many.

    An attempt sending one right now finishes on the server's side but writes nothing back
    (its updates find no row). The prefix keeps the emails of other purposes (a patient's
    appointment emails are the practice's records, not a newsletter's).
    """
    deleted, _ = OutboxMessage.objects.filter(
        to__iexact=to, idempotency_key__startswith=idempotency_key_prefix
    ).delete()
    return deleted
