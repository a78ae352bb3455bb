"""When a therapist's patients list changes: the version its cached rows are kept under.

Every service that writes something the list shows calls :func:`monitor_changed` (a patient's
data) or :func:`monitor_version_bump` (the therapist's own settings) inside its transaction,
so the new version commits with the change it announces: a view that reads the new version
also reads the new data. Explicit calls, not model signals (docs/architecture.md).

What the accounts app changes (a patient's name or address, her time zone, a patient linked
to or unlinked from the therapist, an account deleted) needs no call: :func:`monitor_state`
reads a fingerprint of her patients' names, addresses and zones in the same query as the
version.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.postgres.aggregates import ArrayAgg, StringAgg
from django.db import connection
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import MD5, Cast, Concat

from exercises.models import MonitoringSettings, MonitorVersion
from exercises.pain import MonitoringThresholds
from practice.accounts.models import PatientProfile, TherapistProfile


def monitor_version_bump(*, therapist_id: int) -> None:
    """Give her list a new version (one upsert; the row is made on her first change)."""
    MonitorVersion.objects.bulk_create(
        [MonitorVersion(therapist_id=therapist_id, token=secrets.randbits(63))],
        update_conflicts=True,
        unique_fields=["therapist"],
        update_fields=["token"],
    )


def monitor_changed(*, patient_id: int) -> None:
    """Something about this patient's exercise (logs, days, programs, flags) changed: her
    therapist's list gets a new version. A patient without a therapist is in no list."""
    therapist_id = (
        PatientProfile.objects.filter(user_id=patient_id)
        .values_list("therapist_id", flat=True)
        .first()
    )
    if therapist_id is not None:
        monitor_version_bump(therapist_id=therapist_id)


@dataclass(frozen=True)
class MonitorState:
    """What the list's rows depend on besides their own rows, read in one query.

    ``version`` is None until her first change; ``people`` (an MD5 of her patients' ids,
    names, addresses and zones) and ``zones`` (her patients' time zones) are None on a
    database without ``string_agg`` (SQLite in development): then nothing is cached.
    """

    therapist_id: int
    version: int | None
    thresholds: MonitoringThresholds
    people: str | None
    zones: tuple[str, ...] | None

    @property
    def cacheable(self) -> bool:
        return self.people is not None and self.zones is not None

    def local_days(self, now: datetime) -> tuple[tuple[str, date], ...]:
        """Today in each of her patients' zones: adherence and running programs turn over
        with them."""
        return tuple((zone, now.astimezone(ZoneInfo(zone)).date()) for zone in self.zones or ())


def monitor_state(*, therapist: TherapistProfile) -> MonitorState:
    """Her list's version, monitoring settings and patients' fingerprint (one query)."""
    settings = MonitoringSettings.objects.filter(therapist=OuterRef("pk"))
    fields = ["safe_max", "acceptable_max", "rise_points", "missed_days"]
    annotations = {f"m_{name}": Subquery(settings.values(name)[:1]) for name in fields} | {
        "m_version": Subquery(
            MonitorVersion.objects.filter(therapist=OuterRef("pk")).values("token")[:1]
        )
    }
    if connection.vendor == "postgresql":
        people = PatientProfile.objects.filter(therapist=OuterRef("pk")).values("therapist")
        identity = Concat(
            Cast("user_id", TextField()), Value("\t"), "user__full_name", Value("\t"),
            "user__email", Value("\t"), Cast("time_zone", TextField()),
            output_field=TextField(),
        )  # fmt: skip
        annotations["m_people"] = Subquery(
            people.annotate(h=MD5(StringAgg(identity, delimiter="\n", order_by="user_id"))).values(
                "h"
            )
        )
        annotations["m_zones"] = Subquery(
            people.annotate(z=ArrayAgg(Cast("time_zone", TextField()), distinct=True)).values("z")
        )
    row = (
        TherapistProfile.objects.filter(pk=therapist.pk)
        .annotate(**annotations)
        .values(*annotations)
        .get()
    )
    thresholds = (
        MonitoringThresholds()
        if row["m_safe_max"] is None
        else MonitoringThresholds(
            safe_max=row["m_safe_max"],
            acceptable_max=row["m_acceptable_max"],
            rise_points=float(row["m_rise_points"]),
            missed_days=row["m_missed_days"],
        )
    )
    vendor_ok = connection.vendor == "postgresql"
    return MonitorState(
        therapist_id=therapist.pk,
        version=row["m_version"],
        thresholds=thresholds,
        people=(row["m_people"] or "") if vendor_ok else None,
        zones=tuple(sorted(row["m_zones"] or ())) if vendor_ok else None,
    )
