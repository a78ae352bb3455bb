"""The host's own page: her rules, weekly hours, overrides and blocked periods, in her zone."""

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
import time_machine
from django.test import Client

from consults.models import BlockedPeriod, ConsultHost, DateOverride, WeeklyHours
from consults.selectors import day_slot_list
from practice.accounts.models import User

pytestmark = pytest.mark.django_db
URL = "/consults/availability/"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(datetime(2026, 11, 30, 12, 0, tzinfo=UTC), tick=False):
        yield


def management(prefix: str, total: int, initial: int = 0) -> dict[str, Any]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def page_data(**changes: Any) -> dict[str, Any]:
    data = {
        "rules-is_active": "on",
        "rules-buffer_before_minutes": "0",
        "rules-buffer_after_minutes": "5",
        "rules-minimum_notice_minutes": "0",
        "rules-horizon_days": "60",
        "rules-daily_cap": "6",
        **management("weekly", 2),
        "weekly-0-weekday": "1",
        "weekly-0-starts": "09:00",
        "weekly-0-ends": "12:00",
        "weekly-1-weekday": "1",
        "weekly-1-starts": "14:00",
        "weekly-1-ends": "15:00",
        **management("overrides", 1),
        "overrides-0-date": "2026-12-08",
        **management("blocked", 1),
        "blocked-0-starts_at": "2026-12-15T09:00",
        "blocked-0-ends_at": "2026-12-15T11:00",
        "blocked-0-reason": "Dentist",
    }
    return {**data, **changes}


def test_a_therapist_sets_her_hours_in_her_own_zone(
    therapist_client: Client, therapist: User
) -> None:
    assert therapist_client.get(URL).status_code == 200
    host = ConsultHost.objects.get(therapist__user=therapist)
    assert not host.is_active  # her first visit made the record; she is not offered yet

    response = therapist_client.post(URL, page_data())
    assert response.status_code == 302
    host.refresh_from_db()
    assert host.is_active
    assert host.daily_cap == 6
    assert WeeklyHours.objects.filter(host=host).count() == 2
    assert DateOverride.objects.get(host=host).is_day_off
    blocked = BlockedPeriod.objects.get(host=host)
    zone = host.zone
    assert blocked.starts_at == datetime(2026, 12, 15, 9, 0, tzinfo=zone)  # her 9:00, stored UTC

    tuesday = day_slot_list(day=date(2026, 12, 1), zone=zone).slots
    assert len(tuesday) == 12 + 4
    assert day_slot_list(day=date(2026, 12, 8), zone=zone).slots == []  # the day off
    assert tuesday[0].starts_at.astimezone(zone).time() == time(9)


def test_overlapping_ranges_and_bad_values_are_refused_and_nothing_saved(
    therapist_client: Client,
) -> None:
    therapist_client.get(URL)
    response = therapist_client.post(
        URL,
        page_data(**{"weekly-1-starts": "11:00", "rules-daily_cap": "0", "blocked-0-ends_at": "x"}),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "overlaps another one" in html
    assert "Nothing was saved" in html
    assert WeeklyHours.objects.count() == 0
    assert not ConsultHost.objects.get().is_active


def test_only_therapists_reach_the_page(client: Client, patient_client: Client) -> None:
    assert client.get(URL).status_code == 302
    assert patient_client.get(URL).status_code == 403


def test_a_blocked_period_at_the_end_of_the_calendar_is_a_field_error(
    therapist_client: Client, therapist: User
) -> None:
    therapist_client.get(URL)
    response = therapist_client.post(
        URL,
        page_data(
            **{"blocked-0-starts_at": "9999-12-31T22:00", "blocked-0-ends_at": "9999-12-31T23:00"}
        ),
    )

    assert response.status_code == 400
    assert not BlockedPeriod.objects.exists()
    assert therapist_client.get(URL).status_code == 200
