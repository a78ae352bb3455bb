"""Email backends that misbehave the way real mail servers and workers do."""

from collections.abc import Sequence

from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class StalledBackend(BaseEmailBackend):
    """A server so slow that Celery's soft time limit cuts the attempt off mid-conversation."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise SoftTimeLimitExceeded()
