"""The newsletter's scheduled-work handlers, found by the scheduler at start-up."""

from newsletter import campaign_jobs  # noqa: F401 (registers the campaign handlers)
from newsletter.services import PENDING_EXPIRE_JOB_KIND, subscriber_pending_expire
from practice.scheduling.registry import job_handler


@job_handler(PENDING_EXPIRE_JOB_KIND)
def pending_expire(*, subscriber_id: int) -> None:
    """An unconfirmed sign-up's time is up: delete it, if she is still unconfirmed."""
    subscriber_pending_expire(subscriber_id=subscriber_id)
