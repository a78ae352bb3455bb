"""The mail provider's reports (django-anymail tracking events): bounces, complaints,
the provider's own unsubscribes, and deliveries.

Every bounce, complaint and provider unsubscribe about a subscriber is recorded as a
``BounceEvent`` (once per provider event id: a report sent twice, or late, counts once) and
then decides her status:

- hard bounce (anymail ``rejected``, or ``bounced`` with an RFC 3463 class 5 status other
  than X.2.2 "mailbox full", or without any status): ``bounced`` at once;
- complaint (anymail ``complained``): ``complained`` at once;
- unsubscribe at the provider (anymail ``unsubscribed``): ``unsubscribed``;
- soft bounce (anymail ``deferred``, or ``bounced`` with a class 4 status or X.2.2
  "mailbox full", or a provider type known to be temporary such as Postmark's
  ``SoftBounce``, or one about the practice's sending rather than her address such as
  Postmark's ``Blocked`` and ``DMARCPolicy``): ``bounced`` only once
  ``conf.SOFT_BOUNCE_LIMIT`` soft bounces span ``conf.SOFT_BOUNCE_SPAN`` with no delivery
  after the first of them;
- delivered (anymail ``delivered``): soft bounces before it stop counting; and if soft bounces
  suppressed her and, with this delivery known, no longer reach the limit and the span, the
  suppression is lifted: she gets back the status she would have without them
  (``Subscriber.status_without_soft_bounces``: the one they suppressed, or ``unsubscribed``
  if she unsubscribed meanwhile) and the soft bounce that suppressed her records when
  (``lifted_at``). Soft bounces are transient failures (RFC 3463 class 4, "persistent
  transient failure"); a delivery shows the mailbox accepts mail again. A hard bounce, a
  complaint or an unsubscribe is never lifted, even one reported while soft bounces held her.

A weaker status never replaces a stronger one (a bounce after a complaint stays a
complaint); every later send skips a suppressed subscriber. Reports about addresses not on
the list are dropped: the list keeps nothing about people who are not on it.
"""

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from newsletter import conf
from newsletter.addresses import address_normalise
from newsletter.models import BounceEvent, Delivery, Subscriber

Kind = BounceEvent.Kind

#: RFC 3463 enhanced status code: class.subject.detail (class 2, 4 or 5), standing alone (not
#: the tail of an IP address such as "85.4.1.1" in the server's answer).
_ENHANCED_STATUS = re.compile(r"(?<![\w.])([245])\.\d{1,3}\.\d{1,3}(?![\w.])")
#: RFC 5321 reply code at the start of the server's answer ("smtp;550 ...", "452 ...").
_REPLY_CODE = re.compile(r"^\s*(?:smtp;\s*)?([245]\d\d)\b", re.IGNORECASE)

#: Provider bounce types that anymail reports as ``bounced`` but the provider documents as
#: temporary (Postmark: "SoftBounce: unable to temporarily deliver message"; Brevo:
#: "soft_bounce").
_TEMPORARY_PROVIDER_TYPES = {"postmark": {"SoftBounce"}, "brevo": {"soft_bounce"}}
#: Provider types that anymail reports as ``bounced`` or ``rejected`` but that are about the
#: practice's sending or the message, not her address, so they are only counted as soft
#: (Postmark's bounce types: "Blocked": the ISP blocked it for its content or the sender's
#: reputation; "DMARCPolicy": refused under the sending domain's DMARC policy;
#: "VirusNotification": a scanner's notice about the message). Suppressing her at once would
#: take every reader at that ISP off the list for the practice's own fault.
_SENDER_SIDE_PROVIDER_TYPES = {"postmark": {"Blocked", "DMARCPolicy", "VirusNotification"}}

_EVENT_ID_MAX = BounceEvent._meta.get_field("event_id").max_length or 200

_STRENGTH: dict[str, int] = {
    Subscriber.Status.PENDING: 0,
    Subscriber.Status.ACTIVE: 0,
    Subscriber.Status.UNSUBSCRIBED: 1,
    Subscriber.Status.BOUNCED: 2,
    Subscriber.Status.COMPLAINED: 3,
}
_STATUS_OF_KIND: dict[str, str] = {
    Kind.HARD: Subscriber.Status.BOUNCED,
    Kind.SOFT: Subscriber.Status.BOUNCED,
    Kind.COMPLAINT: Subscriber.Status.COMPLAINED,
    Kind.UNSUBSCRIBE: Subscriber.Status.UNSUBSCRIBED,
}


@dataclass(frozen=True)
class ProviderReport:
    """One tracking event, as anymail normalises it (``AnymailTrackingEvent``).

    ``occurred_at`` is the provider's time of the event (UTC aware; None: now);
    ``provider_type`` the provider's own bounce type (Postmark's ``Type``, Brevo's
    ``event``); ``metadata`` what the provider echoes back of the sent message's metadata
    (``outbox_key``: the outbox email's idempotency key).
    """

    provider: str
    event_type: str
    recipient: str
    event_id: str | None = None
    occurred_at: datetime | None = None
    description: str = ""
    diagnostic: str = ""
    provider_type: str = ""
    message_id: str = ""
    metadata: Mapping[str, Any] = field(default_factory=dict)


def status_code_parse(*texts: str) -> str:
    """The RFC 3463 enhanced status code (``"5.1.1"``) in the first text that has one, else
    the RFC 5321 reply code its answer starts with (``"550"``), else ``""``."""
    for text in texts:
        if match := _ENHANCED_STATUS.search(text or ""):
            return match.group(0)
    for text in texts:
        if match := _REPLY_CODE.match(text or ""):
            return match.group(1)
    return ""


def bounce_kind(report: ProviderReport, status_code: str) -> str | None:
    """The ``BounceEvent.Kind`` of a report, or None for events that are not bounces,
    complaints or unsubscribes (delivered, opened, clicked, queued...)."""
    status_class = status_code[:1]
    if report.event_type == "complained":
        return Kind.COMPLAINT
    if report.event_type == "unsubscribed":
        return Kind.UNSUBSCRIBE
    sender_side = _SENDER_SIDE_PROVIDER_TYPES.get(report.provider.lower(), set())
    if report.event_type in ("bounced", "rejected") and report.provider_type in sender_side:
        return Kind.SOFT
    if report.event_type == "rejected":
        return Kind.HARD
    if report.event_type == "deferred":
        return Kind.SOFT
    if report.event_type == "bounced":
        temporary = _TEMPORARY_PROVIDER_TYPES.get(report.provider.lower(), set())
        if report.provider_type in temporary or status_code[1:] == ".2.2":
            # The provider's own verdict; and X.2.2 "mailbox full", which RFC 3463 (3.3)
            # calls a condition that may go away, whatever class the server gave it (552 5.2.2).
            return Kind.SOFT
        if status_class == "4":
            return Kind.SOFT
        return Kind.HARD  # class 5, or no status: anymail's "bounced" is a permanent rejection
    return None


def provider_report_apply(*, report: ProviderReport) -> BounceEvent | None:
    """Record a provider's report about a subscriber and apply it to her status.

    Returns the new ``BounceEvent`` (its ``suppressed`` says whether it changed her status),
    or None when nothing was recorded: a delivery (it may lift a soft-bounce suppression,
    ``delivery_apply``), an event of another kind, an address not on the list, or a report
    already recorded for her (same provider and event id).
    """
    email = address_normalise(report.recipient)
    now = timezone.now()
    # The provider's time, but never ahead of ours: a clock far ahead would otherwise make a
    # delivery clear every soft bounce still to come.
    occurred_at = min(report.occurred_at, now) if report.occurred_at else now
    if report.event_type == "delivered":
        delivery_apply(email=email, delivered_at=occurred_at)
        return None
    status_code = status_code_parse(report.diagnostic, report.description)
    kind = bounce_kind(report, status_code)
    if kind is None:
        return None
    event_id = _event_id(report.event_id) or _derived_event_id(report, occurred_at)
    message_key = str(report.metadata.get("outbox_key", ""))[:255]
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is None:
            return None
        if BounceEvent.objects.filter(
            subscriber=subscriber, provider=report.provider, event_id=event_id
        ).exists():
            return None
        event = BounceEvent.objects.create(
            subscriber=subscriber,
            provider=report.provider,
            event_id=event_id,
            kind=kind,
            event_type=report.event_type,
            occurred_at=occurred_at,
            status_code=status_code,
            description=report.description,
            diagnostic=report.diagnostic,
            message_key=message_key,
            campaign_id=_campaign_id(message_key),
        )
        if kind != Kind.SOFT and subscriber.status_without_soft_bounces:
            _status_without_soft_bounces_strengthen(subscriber, _STATUS_OF_KIND[kind])
        if kind != Kind.SOFT or _soft_bounces_persist(subscriber):
            event.suppressed = _status_strengthen(subscriber, _STATUS_OF_KIND[kind], kind=kind)
            if event.suppressed:
                event.save(update_fields=["suppressed"])
    return event


def delivery_apply(*, email: str, delivered_at: datetime) -> bool:
    """A delivery to ``email`` reported at ``delivered_at`` (UTC): soft bounces before it no
    longer count (they are kept for the record), and a suppression they made is lifted if
    they no longer persist. Returns whether a suppression was lifted.

    Applying the same report again changes nothing more; one older than the latest
    delivery known changes nothing. A provider reports every email delivered, so the usual
    case (no soft-bounce suppression to look at) is one UPDATE.
    """
    newer = Q(soft_bounces_cleared_at__isnull=True) | Q(soft_bounces_cleared_at__lt=delivered_at)
    held = Q(status=Subscriber.Status.BOUNCED) & ~Q(status_without_soft_bounces="")
    subscribers = Subscriber.objects.filter(newer, email=email)
    if subscribers.exclude(held).update(soft_bounces_cleared_at=delivered_at):
        return False
    with transaction.atomic():
        subscriber = subscribers.select_for_update().first()
        if subscriber is None:  # not on the list, or a delivery already known
            return False
        subscriber.soft_bounces_cleared_at = delivered_at
        subscriber.save(update_fields=["soft_bounces_cleared_at"])
        return _soft_bounce_suppression_lift(subscriber)


def _soft_bounce_suppression_lift(subscriber: Subscriber) -> bool:
    """Give her back her status without soft bounces, if only soft bounces hold her
    ``bounced`` and they no longer reach the limit and the span."""
    restored = subscriber.status_without_soft_bounces
    if subscriber.status != Subscriber.Status.BOUNCED or not restored:
        return False
    if _soft_bounces_persist(subscriber):
        return False
    now = timezone.now()
    # The report that suppressed her: the latest that changed her status (a soft bounce, or
    # the status to give back would have been emptied).
    suppressing = subscriber.bounces.filter(suppressed=True).order_by("-pk")[:1]
    BounceEvent.objects.filter(pk__in=suppressing, kind=Kind.SOFT).update(lifted_at=now)
    subscriber.status, subscriber.status_changed_at = restored, now
    subscriber.status_without_soft_bounces = ""
    subscriber.save(update_fields=["status", "status_changed_at", "status_without_soft_bounces"])
    return True


def _status_without_soft_bounces_strengthen(subscriber: Subscriber, status: str) -> None:
    """A report that is not a soft bounce, while soft bounces hold her ``bounced``: a later
    delivery must not lift what it says. An unsubscribe becomes what a lift gives back; a
    hard bounce holds her itself, so nothing is left to lift (a complaint changes her status)."""
    without = subscriber.status_without_soft_bounces
    if _STRENGTH[status] > _STRENGTH[without]:
        without = "" if status == Subscriber.Status.BOUNCED else status
    subscriber.status_without_soft_bounces = without
    subscriber.save(update_fields=["status_without_soft_bounces"])


def _soft_bounces_persist(subscriber: Subscriber) -> bool:
    """Whether her soft bounces since the last delivery reach the limit and the span."""
    counted = BounceEvent.objects.filter(subscriber=subscriber, kind=Kind.SOFT)
    if subscriber.soft_bounces_cleared_at is not None:
        counted = counted.filter(occurred_at__gt=subscriber.soft_bounces_cleared_at)
    figures = counted.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    if figures["first"] is None:
        return False
    span = figures["last"] - figures["first"]
    return counted.count() >= conf.SOFT_BOUNCE_LIMIT and span >= conf.SOFT_BOUNCE_SPAN


def _status_strengthen(subscriber: Subscriber, status: str, *, kind: str) -> bool:
    """Give her ``status`` (for a report of ``kind``) unless she already has one as strong;
    returns whether it changed. Soft bounces remember the status they suppressed, for a
    later delivery to give back."""
    if _STRENGTH[subscriber.status] >= _STRENGTH[status]:
        return False
    previous = subscriber.status
    subscriber.status = status
    subscriber.status_changed_at = timezone.now()
    subscriber.status_without_soft_bounces = previous if kind == Kind.SOFT else ""
    subscriber.save(update_fields=["status", "status_changed_at", "status_without_soft_bounces"])
    return True


def _campaign_id(message_key: str) -> int | None:
    """The campaign whose delivery the outbox email ``message_key`` is, if it is one."""
    if not message_key:
        return None
    return (
        Delivery.objects.filter(message__idempotency_key=message_key)
        .values_list("campaign_id", flat=True)
        .first()
    )


def _event_id(provider_id: str | None) -> str:
    """The provider's event id as stored: a hash of it when it is longer than the column."""
    if not provider_id or len(provider_id) <= _EVENT_ID_MAX:
        return provider_id or ""
    return "sha256:" + hashlib.sha256(provider_id.encode()).hexdigest()


def _derived_event_id(report: ProviderReport, occurred_at: datetime) -> str:
    """An id for a report the provider gave none (Postmark's suppression changes): the same
    report sent twice gets the same id."""
    parts = (report.event_type, report.provider_type, address_normalise(report.recipient))
    text = "|".join((*parts, report.message_id, occurred_at.isoformat()))
    return "derived:" + hashlib.sha256(text.encode()).hexdigest()
