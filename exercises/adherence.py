"""The therapist's reads of her patients' exercise logs: the list with adherence and pain,
and one patient's detail. Audited here; another therapist's patient is ``Http404``.

Adherence (CLINICAL.md rule 12, CERT item 16a) = sessions done / sessions prescribed over the
last 7 and 28 days of her calendar, computed in the database from ``ProgramDay`` rows:

- a day counts what was done up to what was prescribed (an extra session does not make up
  for a missed one); a partial session counts by the share of its exercises done;
- today counts only the sessions she has begun (what is done, rounded up to whole
  sessions): a session not yet done today is not missed yet, a half-done one is half done.

The list's query count does not grow with the number of patients or logs.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Ceil, Coalesce, Least
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone

from exercises.flags import thresholds_for
from exercises.models import PainFlag, Program, ProgramDay, ProgramRevision, SessionLog
from exercises.pain import MonitoringThresholds, Zone, pain_zone
from exercises.pain_chart import PainPoint
from practice.accounts.models import PatientProfile, TherapistProfile
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record

MONEY = DecimalField(max_digits=9, decimal_places=2)


def _local_day(zones: set[str], *, now: datetime, days_ago: int = 0) -> Case | Value:
    """Each patient's today (less ``days_ago``) as an SQL expression over her profile's zone."""
    days = {z: now.astimezone(ZoneInfo(z)).date() - timedelta(days=days_ago) for z in zones}
    if len(days) == 1:
        return Value(next(iter(days.values())))
    default = Value(now.date() - timedelta(days=days_ago))
    return Case(*[When(time_zone=z, then=Value(d)) for z, d in days.items()], default=default)


def _adherence(window: int, *, done: bool) -> Coalesce:
    days = ProgramDay.objects.filter(
        patient_id=OuterRef("user_id"),
        day__lte=OuterRef("today_local"),
        day__gt=OuterRef(f"before_{window}"),
    )
    capped = Least(F("done"), F("prescribed"))
    begun = Least(Ceil(F("done")), F("prescribed"))
    value = (
        capped
        if done
        else Case(When(day=OuterRef("today_local"), then=begun), default=F("prescribed"))
    )
    total = days.values("patient_id").annotate(total=Sum(value, output_field=MONEY)).values("total")
    return Coalesce(Subquery(total, output_field=MONEY), Value(Decimal(0)), output_field=MONEY)


def _zone_case(field: str, thresholds: MonitoringThresholds) -> Case:
    return Case(
        When(**{f"{field}__isnull": True}, then=Value("")),
        When(**{f"{field}__lte": thresholds.safe_max}, then=Value(Zone.SAFE.value)),
        When(**{f"{field}__lte": thresholds.acceptable_max}, then=Value(Zone.ACCEPTABLE.value)),
        default=Value(Zone.HIGH.value),
    )


def monitor_patients(
    *,
    therapist: TherapistProfile,
    thresholds: MonitoringThresholds | None = None,
    zones: Iterable[str] | None = None,
    now: datetime | None = None,
) -> QuerySet[PatientProfile]:
    """Her patients annotated with adherence, last log, latest pain and its zone (one query),
    with their open flags prefetched (one more). ``thresholds`` (her settings) and ``zones``
    (her patients' time zones) are read when not given, a query each; ``now`` (UTC) sets
    each patient's today."""
    if thresholds is None:
        thresholds = thresholds_for(therapist_id=therapist.pk)
    patients = PatientProfile.objects.filter(therapist=therapist)
    if zones is None:
        zones = patients.values_list("time_zone", flat=True).distinct()
    zone_set = {str(zone) for zone in zones} or {"UTC"}
    now = now or timezone.now()
    latest = SessionLog.objects.filter(patient_id=OuterRef("user_id")).order_by(
        "-performed_on", "-logged_at"
    )
    return (
        patients.select_related("user")
        .annotate(
            today_local=_local_day(zone_set, now=now),
            before_7=_local_day(zone_set, now=now, days_ago=7),
            before_28=_local_day(zone_set, now=now, days_ago=28),
        )
        .annotate(
            done_7=_adherence(7, done=True),
            due_7=_adherence(7, done=False),
            done_28=_adherence(28, done=True),
            due_28=_adherence(28, done=False),
            active_programs=Subquery(
                Program.objects.filter(
                    patient_id=OuterRef("user_id"),
                    start_date__lte=OuterRef("today_local"),
                    end_date__gte=OuterRef("today_local"),
                )
                .values("patient_id")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            last_log_at=Subquery(latest.values("logged_at")[:1]),
            last_log_on=Subquery(latest.values("performed_on")[:1]),
            latest_pain=Subquery(latest.values("pain_after")[:1], output_field=IntegerField()),
        )
        .annotate(latest_zone=_zone_case("latest_pain", thresholds))
        .prefetch_related(
            Prefetch(
                "user__exercise_flags",
                queryset=PainFlag.objects.filter(resolved_at__isnull=True).order_by("-raised_at"),
                to_attr="open_flags",
            )
        )
        .order_by("user__full_name", "user__email")
    )


def percent(done: Decimal | None, due: Decimal | None) -> int | None:
    """Adherence as a whole percentage, None when nothing was prescribed."""
    if not due:
        return None
    return round(100 * (done or 0) / due)


def monitor_patient_rows(
    *,
    therapist: TherapistProfile,
    thresholds: MonitoringThresholds | None = None,
    zones: Iterable[str] | None = None,
    now: datetime | None = None,
) -> list[PatientProfile]:
    """``monitor_patients`` evaluated, each with ``adherence_7`` and ``adherence_28`` (percent
    or None) and ``detail_url`` (her page). Not audited: the page that shows them
    audits each view (``exercises.monitor_page``)."""
    patients = list(
        monitor_patients(therapist=therapist, thresholds=thresholds, zones=zones, now=now)
    )
    # Reversed once, formatted per row (a {% url %} per row was 14% of the page).
    marker = 987654321
    detail = reverse("exercises:monitor_patient", kwargs={"patient_id": marker})
    head, tail = detail.split(str(marker))
    for profile in patients:
        profile.adherence_7 = percent(profile.done_7, profile.due_7)  # type: ignore[attr-defined]
        profile.adherence_28 = percent(profile.done_28, profile.due_28)  # type: ignore[attr-defined]
        profile.detail_url = f"{head}{profile.user_id}{tail}"  # type: ignore[attr-defined]
    return patients


@dataclass
class CalendarDay:
    day: date
    prescribed: Decimal
    done: Decimal

    @property
    def status(self) -> str:
        if self.prescribed <= 0:
            return "rest" if self.done <= 0 else "done"
        if self.done >= self.prescribed:
            return "done"
        return "partial" if self.done > 0 else "missed"


@dataclass
class PatientMonitor:
    profile: PatientProfile
    programs: list[Program]
    logs: list[SessionLog]
    calendar: list[CalendarDay]
    points: list[PainPoint]
    flags: list[PainFlag]
    revisions: list[ProgramRevision]
    thresholds: MonitoringThresholds
    today: date

    def zone(self, score: int | None) -> str:
        return "" if score is None else pain_zone(score, thresholds=self.thresholds).value

    @property
    def paused_programs(self) -> list[Program]:
        """Her programs paused by a red-flag report, newest start first."""
        return [program for program in self.programs if program.paused_at is not None]


def monitor_patient_get(
    *, therapist: TherapistProfile, patient_id: int, request: HttpRequest | None = None
) -> PatientMonitor:
    """One of her patients' programs, logs, calendar (last 28 days), pain trend and flags:
    all of them, also those a former therapist of hers prescribed (as on her list and her
    program pages: a therapist sees her own patients, whole)."""
    profile = (
        PatientProfile.objects.select_related("user")
        .filter(therapist=therapist, user_id=patient_id)
        .first()
    )
    if profile is None:
        raise Http404("No such patient.")
    today = timezone.now().astimezone(ZoneInfo(str(profile.time_zone))).date()
    programs = list(Program.objects.filter(patient_id=patient_id).order_by("-start_date"))
    logs = list(
        SessionLog.objects.filter(patient_id=patient_id)
        .select_related("program")
        .prefetch_related("items")
        .order_by("-performed_on", "-logged_at")[:200]
    )
    start = today - timedelta(days=27)
    days: dict[date, CalendarDay] = {}
    for row in (
        ProgramDay.objects.filter(patient_id=patient_id, day__gte=start, day__lte=today)
        .values("day")
        .annotate(p=Sum("prescribed"), d=Sum("done"))
    ):
        days[row["day"]] = CalendarDay(day=row["day"], prescribed=row["p"], done=row["d"])
    calendar = [
        days.get(
            start + timedelta(days=n),
            CalendarDay(start + timedelta(days=n), Decimal(0), Decimal(0)),
        )
        for n in range(28)
    ]
    points = [
        PainPoint(day=log.performed_on, before=log.pain_before, after=log.pain_after,
                  next_morning=log.pain_next_morning, after_48h=log.pain_48h)
        for log in reversed(logs[:60])
    ]  # fmt: skip
    flags = list(
        PainFlag.objects.filter(patient_id=patient_id)
        .select_related("program")
        .order_by(F("resolved_at").desc(nulls_first=True), "-raised_at")[:50]
    )
    revisions = list(
        ProgramRevision.objects.filter(program__in=programs)
        .select_related("program", "created_by")
        .order_by("program_id", "-number")
    )
    audit_record(
        actor=therapist.user,
        patient=profile.user,
        action=AuditEvent.Action.VIEW,
        obj=profile,
        summary="Viewed her exercise logs, pain and adherence",
        request=request,
    )
    return PatientMonitor(
        profile=profile,
        programs=programs,
        logs=logs,
        calendar=calendar,
        points=points,
        flags=flags,
        revisions=revisions,
        thresholds=thresholds_for(therapist_id=therapist.pk),
        today=today,
    )


def flag_get(*, therapist: TherapistProfile, flag_id: int) -> PainFlag:
    """A flag of a patient who is hers now, whoever prescribed the program (a former
    patient's flags are no longer hers to clear: 404, like every page of that patient)."""
    flag = PainFlag.objects.filter(
        pk=flag_id, patient__patient_profile__therapist=therapist
    ).first()
    if flag is None:
        raise Http404("No such flag.")
    return flag


def therapist_program_get(*, therapist: TherapistProfile, program_id: int) -> Program:
    """A program of a patient who is hers now, whoever prescribed it (``flag_get``'s rule)."""
    program = Program.objects.filter(
        pk=program_id, patient__patient_profile__therapist=therapist
    ).first()
    if program is None:
        raise Http404("No such program.")
    return program
