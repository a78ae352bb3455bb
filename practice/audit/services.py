from collections.abc import Sequence
from typing import Any, NotRequired, TypedDict, Unpack

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models, router
from django.http import HttpRequest

from practice.audit.models import AuditEvent
from practice.core.client_address import client_address
from practice.core.compiled import CompiledInsert

#: Staff pages of patient data write an event on every view: its INSERT is compiled once.
_insert = CompiledInsert(AuditEvent)

SUMMARY_LENGTH = AuditEvent._meta.get_field("summary").max_length or 255


def audit_event(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    patient: AbstractBaseUser | None,
    action: str,
    obj: models.Model | None = None,
    summary: str = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """One entry of the audit log, not yet written (``audit_record`` writes it)."""
    if action not in AuditEvent.Action.values:
        raise ValueError(f"Unknown audit action: {action!r}")
    person = actor if isinstance(actor, AbstractBaseUser) else None
    event = AuditEvent(
        actor_id=person.pk if person is not None else None,
        actor_email=_email(person),
        action=action,
        patient_id=patient.pk if patient is not None else None,
        patient_email=_email(patient),
        summary=summary[:SUMMARY_LENGTH],
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
    if request is not None:
        event.ip = client_address(request)
        event.user_agent = request.headers.get("user-agent", "")[:300]
        event.path = request.get_full_path()[:500]
    return event


class AuditFields(TypedDict):
    """``audit_event``'s arguments, for ``audit_record``."""

    actor: AbstractBaseUser | AnonymousUser | None
    patient: AbstractBaseUser | None
    action: str
    obj: NotRequired[models.Model | None]
    summary: NotRequired[str]
    request: NotRequired[HttpRequest | None]


def audit_record(**fields: Unpack[AuditFields]) -> AuditEvent:
    """Append one entry (``audit_event``'s) to the audit log, in the caller's transaction."""
    event = audit_event(**fields)
    _insert.save(event, using=router.db_for_write(AuditEvent))
    return event


def audit_statement(
    event: AuditEvent, *, summary_sql: tuple[str, Sequence[Any]] | None = None
) -> tuple[str, list[Any]]:
    """The INSERT of ``event`` and its parameters, for a read that writes its own audit entry
    in the same statement (a data-modifying ``WITH``): the entry is written if and only if
    that statement runs, and the read costs one round trip, not two. ``summary_sql``: the
    summary as SQL with its parameters, for one that states what the read found (cut to
    the column's length, as ``audit_record`` cuts it). No ``post_save`` signal is sent."""
    computed = {}
    if summary_sql is not None:
        sql, params = summary_sql
        computed["summary"] = (f"left({sql}, {SUMMARY_LENGTH})", params)
    return _insert.statement(event, using=router.db_for_write(AuditEvent), computed=computed)


def _email(user: AbstractBaseUser | None) -> str:
    return str(getattr(user, user.get_email_field_name())) if user is not None else ""
