from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest

from practice.accounts.models import User
from practice.audit.models import AuditEvent
from practice.core.client_address import client_address


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    patient: User | None,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one entry to the audit log (in the caller's transaction)."""
    if action not in AuditEvent.Action.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    event = AuditEvent(
        actor=actor if isinstance(actor, User) else None,
        actor_email=actor.email if isinstance(actor, User) else "",
        action=action,
        patient=patient,
        patient_email=patient.email if patient is not None else "",
        summary=summary[:255],
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
    if request is not None:
        event.ip = client_address(request)
        event.user_agent = request.headers.get("user-agent", "")[:300]
        event.path = request.get_full_path()[:500]
    event.save()
    return event
