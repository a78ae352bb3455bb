"""Celery tasks of the campaigns (registered through ``newsletter.tasks``): ids in, thin."""

from typing import Any

from celery import shared_task
from celery.signals import worker_init
from django.urls import reverse
from django.utils import timezone

from newsletter import fanout


@shared_task(name="newsletter.campaign_batch", acks_late=True)
def campaign_batch(campaign_id: int) -> None:
    """Hand one batch to the outbox; go on at once while the rate limit allows, else the
    next ``campaigns_continue`` takes it up."""
    settled = fanout.campaign_batch_run(campaign_id=campaign_id)
    if settled and fanout.batch_size(now=timezone.now()) > 0:
        campaign_batch.delay(campaign_id)


@shared_task(name="newsletter.campaigns_continue")
def campaigns_continue() -> int:
    """Run by beat every NEWSLETTER_TICK_SECONDS: a batch task for every sending campaign,
    so a lost task, a killed worker or a restarted beat only delays a campaign."""
    campaign_ids = fanout.campaigns_to_continue()
    for campaign_id in campaign_ids:
        campaign_batch.delay(campaign_id)
    return len(campaign_ids)


@worker_init.connect
def urls_load(**kwargs: Any) -> None:
    """Build Django's URL resolver in the worker's main process, before it forks its pool:
    otherwise the first campaign batch of each pool process waits seconds for it (the
    emails' links are reversed)."""
    reverse("newsletter:unsubscribe", kwargs={"token": "-"})
