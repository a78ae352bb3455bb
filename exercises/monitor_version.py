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
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection

from exercises.models import MonitoringSettings, MonitorVersion
from exercises.pain import MonitoringThresholds
from practice.accounts.models import PatientProfile, TherapistProfile
from practice.audit.models import AuditEvent
from practice.audit.services import audit_statement
from practice.core.compiled import prepared_cursor


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


#: Her list's version, settings and patients' fingerprint: one row, whatever the data (an
#: aggregate without GROUP BY), and the audit entry of this view of her list, written by the
#: same statement (``{audit}``: a data-modifying WITH) with the number of patients the list
#: shows. Written out rather than built with the ORM: building that query cost about 30
#: times what running it costs, on every view.
_STATE_SQL = """
WITH people AS (
    SELECT md5(string_agg(
               concat_ws(E'\\t', profile.user_id::text, person.full_name, person.email,
                         profile.time_zone),
               E'\\n' ORDER BY profile.user_id)) AS fingerprint,
           array_agg(DISTINCT profile.time_zone::text) AS zones,
           count(*) AS patients
    FROM {profile} AS profile JOIN {user} AS person ON person.id = profile.user_id
    WHERE profile.therapist_id = %s
), audited AS ({audit})
SELECT version.token, settings.safe_max, settings.acceptable_max, settings.rise_points,
       settings.missed_days, people.fingerprint, people.zones
FROM people
LEFT JOIN {settings} AS settings ON settings.therapist_id = %s
LEFT JOIN {version} AS version ON version.therapist_id = %s
"""

#: The audit entry's summary: "{count}" is the number of patients on her list.
LIST_VIEWED = "Viewed adherence and pain of her patients ({count})"


def monitor_state(*, therapist: TherapistProfile, audit: AuditEvent) -> MonitorState:
    """Her list's version, monitoring settings and patients' fingerprint, and ``audit``
    written with ``LIST_VIEWED`` as its summary (one statement on PostgreSQL)."""
    if connection.vendor != "postgresql":  # no md5 nor string_agg: nothing is kept
        row = (
            MonitoringSettings.objects.filter(therapist=therapist)
            .values_list("safe_max", "acceptable_max", "rise_points", "missed_days")
            .first()
        )
        count = PatientProfile.objects.filter(therapist=therapist).count()
        audit.summary = LIST_VIEWED.format(count=count)
        audit.save()
        return MonitorState(
            therapist_id=therapist.pk,
            version=None,
            thresholds=_thresholds(*(row or (None, None, None, None))),
            people=None,
            zones=None,
        )
    summary = ("replace(%s, '{count}', (SELECT patients FROM people)::text)", [LIST_VIEWED])
    insert, insert_params = audit_statement(audit, summary_sql=summary)
    sql = _STATE_SQL.format(
        profile=PatientProfile._meta.db_table,
        user=get_user_model()._meta.db_table,
        settings=MonitoringSettings._meta.db_table,
        version=MonitorVersion._meta.db_table,
        audit=insert,
    )
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, [therapist.pk, *insert_params, therapist.pk, therapist.pk])
        version, safe_max, acceptable_max, rise, missed, people, zones = cursor.fetchone()
    return MonitorState(
        therapist_id=therapist.pk,
        version=version,
        thresholds=_thresholds(safe_max, acceptable_max, rise, missed),
        people=people or "",
        zones=tuple(sorted(zones or ())),
    )


def _thresholds(safe_max: int | None, acceptable_max: int, rise: Decimal, missed: int
                ) -> MonitoringThresholds:  # fmt: skip
    """Her saved settings, or the defaults when she has saved none (``safe_max`` None)."""
    if safe_max is None:
        return MonitoringThresholds()
    return MonitoringThresholds(
        safe_max=safe_max,
        acceptable_max=acceptable_max,
        rise_points=float(rise),
        missed_days=missed,
    )
