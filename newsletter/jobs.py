"""The newsletter's scheduled-work handlers, found by the scheduler at start-up."""

from newsletter import campaign_jobs  # noqa: F401 (registers the campaign handlers)
