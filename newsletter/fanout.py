"""Sending a campaign: its deliveries handed to the outbox in batches, at a limited rate.

The promise (also in the README): every recipient gets the campaign once, and never two
different copies, whatever happens to the workers, the broker or beat.

- The recipients are fixed when sending starts: one ``Delivery`` row per subscriber of
  the audience (unique per campaign and subscriber), made by one INSERT ... SELECT.
- A batch (``campaign_batch_run``) locks the campaign row, takes the next pending
  deliveries, skips those who unsubscribed, bounced, complained or paused since (so an
  unsubscribe takes effect before the next batch), and in the same transaction queues one
  outbox email per recipient under the key ``newsletter:campaign:<id>:subscriber:<id>``
  and marks the deliveries ``queued``. A worker killed before the commit leaves them
  ``pending`` for the next batch; after it, they are the outbox's: each email is sent at
  least once, always under its one Message-ID (``practice.outbox.delivery``), so the only
  copy that can arrive twice is one whose sending a crash cut off, and her mailbox shows
  it once.
- Batches follow each other as Celery tasks; beat's ``newsletter.campaigns_continue``
  (every ``NEWSLETTER_TICK_SECONDS``) starts the next batch of every sending campaign that
  has none running and rate to spare, so a lost task, a killed worker or a restarted beat
  only delays the campaign. Running a batch twice is harmless: the campaign row lock and
  the pending status make each delivery queued once.
- The rate limit: no more than ``NEWSLETTER_RATE_PER_MINUTE`` campaign emails are handed to
  the outbox in any 60 seconds (0: no limit), in batches of at most
  ``NEWSLETTER_BATCH_SIZE``.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from newsletter.campaign_emails import campaign_email_for, campaign_email_render
from newsletter.links import ListLinks
from newsletter.models import Campaign, Delivery, Subscriber
from newsletter.selectors import subscriber_sendable_list
from practice.core.page_cache import public_pages_changed
from practice.outbox.services import emails_queue_rendered

logger = logging.getLogger(__name__)

RATE_WINDOW = timedelta(seconds=60)


def campaign_audience(campaign: Campaign) -> QuerySet[Subscriber]:
    """The subscribers the campaign goes to now: active, not paused, in its segments."""
    if campaign.audience_all:
        return subscriber_sendable_list()
    return subscriber_sendable_list(
        tags=list(campaign.audience_tags.values_list("slug", flat=True))
    )


def deliveries_create(campaign: Campaign) -> int:
    """One pending delivery per recipient, in one INSERT ... SELECT (flat memory whatever
    the size of the list); an existing delivery is kept. Returns how many were made."""
    audience_sql, params = campaign_audience(campaign).values("pk").query.sql_with_params()
    table = Delivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (campaign_id, subscriber_id, status, skipped_reason) "  # noqa: S608
            f"SELECT %s, audience.pk, %s, '' FROM ({audience_sql}) AS audience "
            "ON CONFLICT (campaign_id, subscriber_id) DO NOTHING",
            [campaign.pk, Delivery.Status.PENDING, *params],
        )
        return cursor.rowcount


def campaign_batch_run(*, campaign_id: int) -> int | None:
    """Hand the next batch of a sending campaign to the outbox. Returns how many deliveries
    it settled (queued or skipped): 0 when the rate limit says wait; None when there is
    nothing to do (not sending, another batch holds the campaign, or it just finished).

    The outbox delivers the batch over one connection once this commits.
    """
    now = timezone.now()
    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update(skip_locked=True)
            .filter(pk=campaign_id, status=Campaign.Status.SENDING)
            .first()
        )
        if campaign is None:
            return None
        size = batch_size(now=now)
        if size == 0:
            return 0
        deliveries = list(
            campaign.deliveries.filter(status=Delivery.Status.PENDING)
            .select_related("subscriber")
            .order_by("pk")[:size]
        )
        if not deliveries:
            campaign.status, campaign.finished_at = Campaign.Status.SENT, now
            campaign.save(update_fields=["status", "finished_at", "updated_at"])
            public_pages_changed()  # the archive lists it now
            logger.info("Campaign %s: every delivery is with the outbox", campaign.pk)
            return None
        sendable = [d for d in deliveries if _still_wanted(d)]
        if sendable:
            email, list_links = campaign_email_render(campaign=campaign), ListLinks()
            messages = emails_queue_rendered(
                emails=[
                    campaign_email_for(
                        email, campaign=campaign, subscriber=d.subscriber, list_links=list_links
                    )
                    for d in sendable
                ]
            )
            _deliveries_queued(
                [(d.pk, m.pk) for d, m in zip(sendable, messages, strict=True)], now=now
            )
        for skipped in deliveries:
            if skipped.status == Delivery.Status.SKIPPED:
                skipped.save(update_fields=["status", "skipped_reason"])
        campaign.last_batch_at = now
        campaign.save(update_fields=["last_batch_at", "updated_at"])
    return len(deliveries)


def _deliveries_queued(pairs: list[tuple[int, int]], *, now: datetime) -> None:
    """Mark deliveries queued with their outbox message: one UPDATE ... FROM (VALUES ...)
    for the batch (Django's ``bulk_update`` builds a CASE per row, far slower)."""
    table = Delivery._meta.db_table
    values = ", ".join(["(%s, %s)"] * len(pairs))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, queued_at = %s, message_id = batch.message_id "  # noqa: S608
            f"FROM (VALUES {values}) AS batch (delivery_id, message_id) "
            f"WHERE {table}.id = batch.delivery_id",
            [Delivery.Status.QUEUED, now, *(n for pair in pairs for n in pair)],
        )


def _still_wanted(delivery: Delivery) -> bool:
    """Whether she still wants it; if not, the delivery is marked skipped with the reason."""
    subscriber = delivery.subscriber
    if subscriber.status == Subscriber.Status.ACTIVE and not subscriber.paused:
        return True
    delivery.status = Delivery.Status.SKIPPED
    delivery.skipped_reason = "paused" if subscriber.paused else subscriber.status
    return False


def batch_size(*, now: datetime) -> int:
    """How many campaign emails may be handed to the outbox now: up to
    ``NEWSLETTER_BATCH_SIZE``, and within ``NEWSLETTER_RATE_PER_MINUTE`` counted over the
    last 60 seconds across every campaign."""
    size = settings.NEWSLETTER_BATCH_SIZE
    rate = settings.NEWSLETTER_RATE_PER_MINUTE
    if not rate:
        return size
    recent = Delivery.objects.filter(
        status=Delivery.Status.QUEUED, queued_at__gt=now - RATE_WINDOW
    ).count()
    return max(0, min(size, rate - recent))


def campaigns_to_continue() -> list[int]:
    """The sending campaigns, when the rate limit leaves room for a batch (else none)."""
    if batch_size(now=timezone.now()) == 0:
        return []
    return list(
        Campaign.objects.filter(status=Campaign.Status.SENDING).values_list("pk", flat=True)
    )
