"""Writes of the newsletter's subscribers: sign-up, confirmation, unsubscribe, preferences,
erasure (the mail provider's reports: ``newsletter.bounces``), and the emails that go with them.

Every email goes through the outbox (``email_queue``); those holding a personal link are
``private`` (erased once sent). Sign-up answers never depend on what is known of an address:
the caller shows the same page whatever these services do.
"""

import enum
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from newsletter import conf, links
from newsletter.addresses import address_hmac, address_normalise
from newsletter.consent import consent_wording
from newsletter.models import ConsentRecord, GuideDownload, LeadMagnet, Subscriber, Suppression, Tag
from newsletter.selectors import lead_magnet_active
from newsletter.tokens import TokenData
from practice.outbox.services import email_queue, messages_erase
from practice.scheduling.services import job_schedule

#: The Job kind that deletes an unconfirmed sign-up (handler in ``newsletter.jobs``).
PENDING_EXPIRE_JOB_KIND = "newsletter.pending_expire"


@dataclass(frozen=True)
class ConsentEvidence:
    """Where and how she gave her consent (a consent record's fields)."""

    method: str
    ip_address: str | None = None
    user_agent: str = ""
    source: str = ""
    wording_version: str = ""


def subscriber_signup(*, email: str, first_name: str = "", evidence: ConsentEvidence) -> Subscriber:
    """Record a sign-up and send what the address should get; the caller's answer is the same.

    - unknown address: a pending subscriber, her consent recorded, a confirmation email;
    - pending, unsubscribed, bounced or complained: her consent recorded, a new
      confirmation email (her status changes only when she confirms);
    - active: nothing changes (a re-submission never unconfirms); she is emailed a fresh
      download link instead.

    The caller has already applied the per-address rate limit (``conf.RATE_LIMITS``).
    """
    address = address_normalise(email)
    first_name = first_name.strip()[:100]
    with transaction.atomic():
        subscriber, created = Subscriber.objects.select_for_update().get_or_create(
            email=address, defaults={"first_name": first_name, "status_changed_at": timezone.now()}
        )
        if subscriber.status == Subscriber.Status.ACTIVE:
            guide_link_send(subscriber=subscriber)
            return subscriber
        if first_name and not created and subscriber.status == Subscriber.Status.PENDING:
            subscriber.first_name = first_name  # the latest sign-up's name, until she confirms
            subscriber.save(update_fields=["first_name"])
        _consent_record(subscriber=subscriber, evidence=evidence)
        confirmation_send(subscriber=subscriber)
    return subscriber


def _consent_record(
    *, subscriber: Subscriber, evidence: ConsentEvidence, wording: str = ""
) -> None:
    shown = consent_wording(evidence.wording_version) if not wording else None
    ConsentRecord.objects.create(
        subscriber=subscriber,
        method=evidence.method,
        ip_address=evidence.ip_address,
        user_agent=evidence.user_agent[:500],
        source=evidence.source[:200],
        wording_version=shown.version if shown else "",
        wording=shown.text if shown else wording,
    )


def confirmation_send(*, subscriber: Subscriber) -> None:
    """Email her the double opt-in link (valid ``conf.CONFIRM_VALID``); if she is still
    pending ``conf.PENDING_KEPT`` later, her sign-up is deleted (``subscriber_pending_expire``)."""
    now = timezone.now()
    subscriber.confirmation_sent_at = now
    subscriber.save(update_fields=["confirmation_sent_at"])
    email_queue(
        to=subscriber.email,
        template="newsletter/confirm",
        context={
            "first_name": subscriber.first_name,
            "confirm_url": links.confirm_url(subscriber),
            "valid_days": conf.CONFIRM_VALID.days,
            "guide": lead_magnet_active(),
        },
        idempotency_key=f"newsletter:confirm:{subscriber.pk}:{now.timestamp()}",
        private=True,
    )
    job_schedule(
        kind=PENDING_EXPIRE_JOB_KIND,
        key=f"newsletter:pending-expire:{subscriber.pk}",
        due_at=now + conf.PENDING_KEPT,
        payload={"subscriber_id": subscriber.pk},
    )


class ConfirmOutcome(enum.Enum):
    CONFIRMED = "confirmed"  # confirmed now, or already active: the subscribed page
    USED = "used"  # a link from before her last confirmation; she has left the list since
    EXPIRED = "expired"
    INVALID = "invalid"  # tampered, or the address it was sent to is no longer on the list


def subscriber_confirm(
    *,
    subscriber: Subscriber | None,
    token: TokenData | None,
    ip_address: str | None,
    user_agent: str = "",
) -> ConfirmOutcome:
    """Confirm the sign-up a confirmation link was sent for; idempotent.

    A second click (or a mail scanner's earlier visit) finds her active and answers
    ``CONFIRMED`` again. A link issued before her last confirmation never re-subscribes
    her after she has unsubscribed (``USED``). Confirming sends the welcome email with her
    download link and lifts an erasure's suppression (this is her new consent).

    The confirmation evidence kept (``confirmed_at``, ``confirmed_ip``,
    ``confirmed_user_agent``) is the first request that opened the link, which may be her
    mail provider's link scanner rather than her; later clicks never overwrite it. Her own
    sign-up request's IP and user agent are in her consent record.
    """
    if subscriber is None or token is None:
        return ConfirmOutcome.INVALID
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.Status.ACTIVE:
            return ConfirmOutcome.CONFIRMED
        if not token.fresh:
            return ConfirmOutcome.EXPIRED
        if subscriber.confirmed_at and subscriber.confirmed_at.timestamp() >= token.issued_at:
            return ConfirmOutcome.USED
        now = timezone.now()
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = now
        subscriber.confirmed_ip = ip_address
        subscriber.confirmed_user_agent = user_agent[:500]
        subscriber.status_changed_at = now
        subscriber.status_without_soft_bounces = ""
        subscriber.save(
            update_fields=[
                "status",
                "confirmed_at",
                "confirmed_ip",
                "confirmed_user_agent",
                "status_changed_at",
                "status_without_soft_bounces",
            ]
        )
        Suppression.objects.filter(address_hmac=address_hmac(subscriber.email)).delete()
        welcome_send(subscriber=subscriber)
    return ConfirmOutcome.CONFIRMED


def _list_context(subscriber: Subscriber) -> dict[str, object]:
    return {
        "first_name": subscriber.first_name,
        "unsubscribe_url": links.unsubscribe_url(subscriber),
        "preferences_url": links.preferences_url(subscriber),
    }


def welcome_send(*, subscriber: Subscriber) -> None:
    """The welcome email: her download link, what to expect, and the list's links and headers."""
    assert subscriber.confirmed_at is not None
    _download_link_email(
        subscriber,
        template="newsletter/welcome",
        idempotency_key=f"newsletter:welcome:{subscriber.pk}:{subscriber.confirmed_at.timestamp()}",
    )


def guide_link_send(*, subscriber: Subscriber) -> None:
    """Email a confirmed subscriber a fresh download link (valid ``conf.DOWNLOAD_VALID``)."""
    _download_link_email(
        subscriber,
        template="newsletter/guide_link",
        idempotency_key=f"newsletter:guide-link:{subscriber.pk}:{timezone.now().timestamp()}",
    )


def _download_link_email(subscriber: Subscriber, *, template: str, idempotency_key: str) -> None:
    """Queue a private email holding her signed download link and the list's links/headers."""
    email_queue(
        to=subscriber.email,
        template=template,
        context={
            **_list_context(subscriber),
            "guide": lead_magnet_active(),
            "download_url": links.download_url(subscriber),
            "download_days": conf.DOWNLOAD_VALID.days,
        },
        idempotency_key=idempotency_key,
        headers=links.list_unsubscribe_headers(subscriber),
        private=True,
    )


def guide_link_request(*, email: str) -> None:
    """ "Send me a fresh link": the answer is the same whatever is known of the address.

    A subscriber who has confirmed (even if she has left the list since: the guide is
    hers) gets a fresh download link; a pending one gets her confirmation link again;
    anyone else gets nothing. The caller has applied the per-address rate limit.
    """
    subscriber = Subscriber.objects.filter(email=address_normalise(email)).first()
    if subscriber is None or subscriber.status == Subscriber.Status.COMPLAINED:
        return
    if subscriber.confirmed_at is not None:
        guide_link_send(subscriber=subscriber)
    elif subscriber.status == Subscriber.Status.PENDING:
        with transaction.atomic():
            confirmation_send(subscriber=subscriber)


def guide_download_record(*, subscriber: Subscriber, lead_magnet: LeadMagnet) -> GuideDownload:
    """Count one download of the guide by this subscriber."""
    return GuideDownload.objects.create(subscriber=subscriber, lead_magnet=lead_magnet)


def _status_set(subscriber: Subscriber, status: str) -> None:
    subscriber.status = status
    subscriber.status_changed_at = timezone.now()
    subscriber.save(update_fields=["status", "status_changed_at"])


def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Take her off the list at once (the next campaign batch skips her); idempotent.

    A bounced or complained subscriber keeps that status (it is stronger); if soft bounces
    hold her ``bounced``, ``unsubscribed`` is what a later delivery gives back
    (``newsletter.bounces``), never ``active``.
    """
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status in (Subscriber.Status.ACTIVE, Subscriber.Status.PENDING):
            _status_set(subscriber, Subscriber.Status.UNSUBSCRIBED)
        elif subscriber.status_without_soft_bounces in (
            Subscriber.Status.ACTIVE,
            Subscriber.Status.PENDING,
        ):
            subscriber.status_without_soft_bounces = Subscriber.Status.UNSUBSCRIBED
            subscriber.save(update_fields=["status_without_soft_bounces"])
    return subscriber


def subscriber_resubscribe(*, subscriber: Subscriber, evidence: ConsentEvidence) -> Subscriber:
    """She rejoins from her preferences page (reached by her signed link: the mailbox is hers)."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == Subscriber.Status.ACTIVE:
            return subscriber
        _consent_record(subscriber=subscriber, evidence=evidence)
        now = timezone.now()
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.status_changed_at = now
        subscriber.paused = False
        subscriber.status_without_soft_bounces = ""
        update = ["status", "status_changed_at", "paused", "status_without_soft_bounces"]
        if subscriber.confirmed_at is None:
            subscriber.confirmed_at, subscriber.confirmed_ip = now, evidence.ip_address
            update += ["confirmed_at", "confirmed_ip"]
        subscriber.save(update_fields=update)
    return subscriber


def subscriber_preferences_update(
    *, subscriber: Subscriber, tag_ids: Collection[int], paused: bool
) -> Subscriber:
    """Set the segments she chose among the public ones, and whether campaigns pause.

    Segments staff gave her that are not offered publicly (``patient``) are kept.
    """
    with transaction.atomic():
        public = set(Tag.objects.filter(public=True).values_list("pk", flat=True))
        chosen = public & set(tag_ids)
        kept = set(subscriber.tags.exclude(pk__in=public).values_list("pk", flat=True))
        subscriber.tags.set(kept | chosen)
        if subscriber.paused != paused:
            subscriber.paused = paused
            subscriber.save(update_fields=["paused"])
    return subscriber


#: What the confirmation fields record, said wherever they are shown or exported.
CONFIRMATION_EVIDENCE_NOTE = (
    "confirmed_at, confirmed_ip and confirmed_user_agent are those of the first request that "
    "opened the confirmation link; it may be the recipient's mail scanner, which opens links "
    "before she does. The sign-up's own IP and user agent are in consents."
)


def subscriber_data_export(*, subscriber: Subscriber) -> dict[str, object]:
    """Everything the list holds about her, as JSON-ready data (times ISO 8601, UTC)."""

    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "email": subscriber.email,
        "first_name": subscriber.first_name,
        "status": subscriber.status,
        "paused": subscriber.paused,
        "status_a_later_delivery_gives_back": subscriber.status_without_soft_bounces or None,
        "segments": sorted(subscriber.tags.values_list("name", flat=True)),
        "signed_up_at": iso(subscriber.created_at),
        "confirmed_at": iso(subscriber.confirmed_at),
        "confirmed_ip": subscriber.confirmed_ip,
        "confirmed_user_agent": subscriber.confirmed_user_agent,
        "confirmation_evidence_note": CONFIRMATION_EVIDENCE_NOTE,
        "consents": [
            {
                "at": iso(c.created_at),
                "method": c.method,
                "ip_address": c.ip_address,
                "user_agent": c.user_agent,
                "source": c.source,
                "wording_version": c.wording_version,
                "wording": c.wording,
            }
            for c in subscriber.consents.order_by("created_at")
        ],
        "bounces": [
            {
                "at": iso(b.occurred_at),
                "kind": b.kind,
                "status_code": b.status_code,
                "description": b.description,
                "diagnostic": b.diagnostic,
                "suppressed": b.suppressed,
                "lifted_at": iso(b.lifted_at),
            }
            for b in subscriber.bounces.order_by("occurred_at")
        ],
        "guide_downloads": [
            iso(at)
            for at in subscriber.downloads.order_by("downloaded_at").values_list(
                "downloaded_at", flat=True
            )
        ],
    }


def subscriber_erase(*, subscriber: Subscriber) -> None:
    """Delete her and everything about her; keep only the keyed HMAC of her address.

    The HMAC (``address_hmac``) makes a later import skip the address. Her consent records,
    downloads and campaign deliveries go with her row (they reference it); the newsletter's
    emails to her, queued or sent, are deleted (queued ones never go out), and so is the
    admin's history of her record (it names her address). Emails of other purposes (she
    may be a patient) are not the newsletter's to erase.
    """
    with transaction.atomic():
        Suppression.objects.get_or_create(address_hmac=address_hmac(subscriber.email))
        _delete_with_traces(subscriber)


def subscriber_pending_expire(*, subscriber_id: int) -> bool:
    """Delete an unconfirmed sign-up ``conf.PENDING_KEPT`` after its last confirmation email
    (run by its Job row; a later email moved the row, so this re-checks), also one that soft
    bounces hold ``bounced`` (a later delivery would give her back ``pending``, and nothing
    would delete her then). She never confirmed, so nothing is kept, not even a suppression
    HMAC: she may sign up again. Returns whether she was deleted.
    """
    pending = Subscriber.Status.PENDING
    unconfirmed = Q(status=pending) | Q(
        status=Subscriber.Status.BOUNCED, status_without_soft_bounces=pending
    )
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update().filter(unconfirmed, pk=subscriber_id).first()
        )
        if subscriber is None:
            return False
        last_email = subscriber.confirmation_sent_at or subscriber.created_at
        if last_email + conf.PENDING_KEPT > timezone.now():
            return False
        _delete_with_traces(subscriber)
    return True


def _delete_with_traces(subscriber: Subscriber) -> None:
    """Delete her row (her consents, downloads and deliveries go with it), the newsletter's
    emails to her, queued or sent, and the admin's history of her record (it names her)."""
    messages_erase(to=subscriber.email, idempotency_key_prefix="newsletter:")
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Subscriber), object_id=str(subscriber.pk)
    ).delete()
    subscriber.delete()
