"""Days at the ends of the calendar (year 1, year 9999) in any address are a clear answer,
never a 500: the day's bounds in a zone ahead of or behind UTC fall outside Python's dates."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consults import tokens
from consults.models import ConsultHost
from tests.consults.test_agenda import consult

FAR = ["9999-12-31", "0001-01-01"]


@pytest.mark.parametrize("day", FAR)
@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_the_slots_api_refuses_a_day_at_the_end_of_the_calendar(
    client: Client, host: ConsultHost, day: str, zone: str
) -> None:
    response = client.get(reverse("api:consult-slots"), {"date": day, "tz": zone})

    assert response.status_code == 400
    assert "Give a day between" in response.json()["error"]["fields"]["date"][0]


@pytest.mark.parametrize("day", FAR)
def test_the_manage_page_and_the_agenda_take_any_day(
    client: Client, therapist_client: Client, host: ConsultHost, day: str
) -> None:
    booking = consult(host, timezone.now().replace(microsecond=0) + timedelta(days=3))
    client.get(reverse("consults:manage_link", args=[tokens.manage_token(booking_id=booking.pk)]))

    assert client.get(reverse("consults:manage"), {"date": day}).status_code == 200
    for view in ("day", "week"):
        agenda = therapist_client.get(reverse("consults:agenda"), {"date": day, "view": view})
        assert agenda.status_code == 200


def test_moving_a_consult_to_the_end_of_the_calendar_is_a_message(
    client: Client, host: ConsultHost
) -> None:
    booking = consult(host, timezone.now().replace(microsecond=0) + timedelta(days=3))
    client.get(reverse("consults:manage_link", args=[tokens.manage_token(booking_id=booking.pk)]))

    response = client.post(
        reverse("consults:manage_reschedule"),
        {"start": "9999-12-31T23:45:00-12:00", "sequence": 0},
        follow=True,
    )

    assert response.status_code == 200
    assert "not one of the free times" in response.content.decode()


def test_blocking_time_at_the_end_of_the_calendar_is_a_message(
    therapist_client: Client, host: ConsultHost
) -> None:
    response = therapist_client.post(
        reverse("consults:agenda_block"),
        {"day": "9999-12-31", "starts": "23:00", "ends": "23:30", "reason": ""},
        follow=True,
    )

    assert response.status_code == 200
    assert "Give the day and the times to block." in response.content.decode()
