"""The mail provider's reports, through django-anymail's tracking webhooks.

anymail's webhook views (``/newsletter/esp/<provider>/tracking/``, ``newsletter/urls.py``)
check the provider's authentication (``ANYMAIL["WEBHOOK_SECRET"]`` basic auth, and the
provider's signature where it has one) and send the ``tracking`` signal for each event.
Bounces, rejections, complaints and the provider's own unsubscribes suppress the subscriber.
"""

from typing import Any

from anymail.signals import AnymailTrackingEvent, tracking
from django.dispatch import receiver

from newsletter.services import subscriber_suppress


@receiver(tracking, dispatch_uid="newsletter.tracking")
def tracking_event(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    if event.recipient:
        subscriber_suppress(email=event.recipient, event_type=event.event_type)
