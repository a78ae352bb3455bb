"""The mail provider's reports, through django-anymail's tracking webhooks.

anymail's webhook views (``/newsletter/esp/<provider>/tracking/``, ``newsletter/urls.py``)
check the provider's authentication (``ANYMAIL["WEBHOOK_SECRET"]`` basic auth, and the
provider's signature where it has one) and send the ``tracking`` signal for each event;
``newsletter.bounces`` records bounces and complaints and decides what they do.
"""

from typing import Any

from anymail.signals import AnymailTrackingEvent, tracking
from django.dispatch import receiver

from newsletter.bounces import ProviderReport, provider_report_apply


@receiver(tracking, dispatch_uid="newsletter.tracking")
def tracking_event(sender: Any, event: AnymailTrackingEvent, esp_name: str, **kwargs: Any) -> None:
    if not event.recipient:
        return
    esp_event = event.esp_event if isinstance(event.esp_event, dict) else {}
    provider_report_apply(
        report=ProviderReport(
            provider=esp_name,
            event_type=str(event.event_type),
            recipient=_text(event.recipient),
            event_id=_text(event.event_id) or None,
            occurred_at=event.timestamp,
            description=_text(event.description),
            diagnostic=_text(event.mta_response),
            # The provider's own verdict: Postmark's bounce "Type", Brevo's "event".
            provider_type=_text(esp_event.get("Type") or esp_event.get("event")),
            message_id=_text(event.message_id),
            metadata=event.metadata if isinstance(event.metadata, dict) else {},
        )
    )


def _text(value: object) -> str:
    """A report's field as text PostgreSQL can store (no NUL: a server's answer may hold one,
    and refusing the report would lose the bounce)."""
    return "" if value is None else str(value).replace("\x00", "")
