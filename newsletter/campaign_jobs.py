"""Scheduled campaign work (registered through ``newsletter.jobs``)."""

from newsletter.campaigns import START_JOB_KIND, campaign_start_due
from practice.scheduling.registry import job_handler


@job_handler(START_JOB_KIND)
def campaign_start(*, campaign_id: int) -> None:
    """A scheduled campaign's time has come: start it, if it is still scheduled for now."""
    campaign_start_due(campaign_id=campaign_id)
