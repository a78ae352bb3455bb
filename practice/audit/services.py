from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models, router
from django.http import HttpRequest

from practice.audit.models import AuditEvent
from practice.core.client_address import client_address
from practice.core.compiled import CompiledInsert

#: Staff pages of patient data write an event on every view: its INSERT is compiled once.
_insert = CompiledInsert(AuditEvent)


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    patient: AbstractBaseUser | None,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one entry to the audit log (in the caller's transaction)."""
    if action not in AuditEvent.Action.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    person = actor if isinstance(actor, AbstractBaseUser) else None
    event = AuditEvent(
        actor_id=person.pk if person is not None else None,
        actor_email=_email(person),
        action=action,
        patient_id=patient.pk if patient is not None else None,
        patient_email=_email(patient),
        summary=summary[:255],
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
    if request is not None:
        event.ip = client_address(request)
        event.user_agent = request.headers.get("user-agent", "")[:300]
        event.path = request.get_full_path()[:500]
    _insert.save(event, using=router.db_for_write(AuditEvent))
    return event


def _email(user: AbstractBaseUser | None) -> str:
    return str(getattr(user, user.get_email_field_name())) if user is not None else ""
