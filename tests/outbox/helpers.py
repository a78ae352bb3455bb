from practice.outbox.models import OutboxMessage
from practice.outbox.services import email_queue_rendered


def queue_note(key: str, to: str = "rose@example.com") -> OutboxMessage:
    """A short email whose subject names its idempotency key."""
    return email_queue_rendered(
        to=to, subject=f"Note {key}", text=f"Hello from {key}.", idempotency_key=key
    )
