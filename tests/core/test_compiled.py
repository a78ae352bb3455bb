"""Statements compiled once (``practice.core.compiled``) give what the ORM gives."""

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from practice.accounts.models import TherapistProfile, User
from practice.accounts.principal import principal_get
from practice.audit.models import AuditEvent
from practice.audit.services import audit_event, audit_record, audit_statement
from practice.core.compiled import CompiledInsert, CompiledSelect

pytestmark = pytest.mark.django_db

FIELDS = [field.attname for field in User._meta.concrete_fields]


def test_her_row_profile_and_authenticator_come_in_one_statement_as_the_orm_reads_them(
    therapist: User,
) -> None:
    with CaptureQueriesContext(connection) as queries:
        person = principal_get(user_id=therapist.pk)
        assert person is not None
        profile = person.therapist_profile
        has_totp = person.principal_has_totp  # type: ignore[attr-defined]

    orm = User.objects.get(pk=therapist.pk)
    assert len(queries) == 1
    assert [getattr(person, f) for f in FIELDS] == [getattr(orm, f) for f in FIELDS]
    assert profile == TherapistProfile.objects.get(user=therapist)
    assert profile.time_zone == orm.therapist_profile.time_zone
    assert has_totp is True
    assert person._state.db == "default"
    assert not person._state.adding


def test_a_patient_has_no_therapist_profile_and_no_authenticator(patient: User) -> None:
    person = principal_get(user_id=patient.pk)
    assert person is not None

    with CaptureQueriesContext(connection) as queries, pytest.raises(TherapistProfile.DoesNotExist):
        person.therapist_profile  # noqa: B018 (the descriptor is the test)
    assert len(queries) == 0
    assert person.principal_has_totp is False  # type: ignore[attr-defined]


def test_an_unknown_id_finds_nobody(therapist: User) -> None:
    assert principal_get(user_id=therapist.pk + 1000) is None


def test_a_value_the_sql_does_not_take_as_a_parameter_is_refused(therapist: User) -> None:
    compiled = CompiledSelect(User, lambda value: User.objects.filter(pk=therapist.pk))
    with pytest.raises(ValueError, match="not a parameter"):
        compiled.run(therapist.pk)


def test_a_text_value_takes_its_place(therapist: User, patient: User) -> None:
    compiled = CompiledSelect(User, lambda email: User.objects.filter(email=email), marker="~@~")

    assert compiled.run(therapist.email) == [therapist]
    assert compiled.run(patient.email) == [patient]


def test_an_audit_entry_is_stored_as_the_orm_stores_it_and_signals_as_a_save(
    therapist: User, patient: User
) -> None:
    saved: list[tuple[Any, bool]] = []

    def receiver(sender: type[AuditEvent], instance: AuditEvent, created: bool, **kw: Any) -> None:
        saved.append((instance.pk, created))

    post_save.connect(receiver, sender=AuditEvent)
    try:
        event = audit_record(
            actor=therapist, patient=patient, action=AuditEvent.Action.VIEW, summary="x" * 300
        )
    finally:
        post_save.disconnect(receiver, sender=AuditEvent)

    stored = AuditEvent.objects.get(pk=event.pk)
    assert saved == [(event.pk, True)]
    assert (stored.actor_id, stored.patient_id, stored.actor_email, stored.patient_email) == (
        therapist.pk, patient.pk, therapist.email, patient.email,
    )  # fmt: skip
    assert stored.summary == "x" * 255
    assert stored.created_at == event.created_at
    assert not event._state.adding


def test_an_audit_entry_written_inside_another_statement_is_the_one_a_save_writes(
    therapist: User, patient: User
) -> None:
    event = audit_event(actor=therapist, patient=patient, action=AuditEvent.Action.VIEW)
    saved = audit_record(actor=therapist, patient=patient, action=AuditEvent.Action.VIEW)
    summary = ("format(%s, (SELECT n FROM counted))", ["Saw %s patients " + "x" * 300])
    insert, params = audit_statement(event, summary_sql=summary)

    with connection.cursor() as cursor:
        statement = "WITH counted AS (SELECT %s::int AS n), written AS ({}) SELECT n FROM counted"
        cursor.execute(statement.format(insert), [7, *params])
        assert cursor.fetchone() == (7,)

    fields = ["actor_id", "actor_email", "action", "patient_id", "patient_email", "ip", "path"]
    written = AuditEvent.objects.exclude(pk=saved.pk).get()
    assert [getattr(written, f) for f in fields] == [getattr(saved, f) for f in fields]
    assert written.summary == ("Saw 7 patients " + "x" * 300)[:255]
    assert written.created_at == event.created_at


def test_a_failed_audit_insert_marks_the_transaction_for_rollback_as_a_save_does(
    therapist: User,
) -> None:
    with transaction.atomic():
        with pytest.raises(DatabaseError):
            CompiledInsert(AuditEvent).save(
                AuditEvent(actor=therapist, action=AuditEvent.Action.VIEW, summary="x" * 300)
            )
        assert transaction.get_rollback()  # so leaving atomic() rolls it back
