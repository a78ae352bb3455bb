from celery import shared_task

from practice.accounts import sessions


@shared_task(name="accounts.sessions_clear_expired")
def sessions_clear_expired() -> int:
    """Run by beat once a day (``sessions-clear-expired`` in the settings)."""
    return sessions.sessions_clear_expired()
