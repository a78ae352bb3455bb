"""Scheduled work of the education app (found by practice.scheduling at startup)."""

from education.services import article_publish_due
from practice.scheduling.registry import job_handler


@job_handler("education.publish")
def article_publish(*, article_id: int) -> None:
    """A scheduled article's time has come: publish it (once; a stale job does nothing)."""
    article_publish_due(article_id=article_id)
