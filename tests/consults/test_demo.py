"""seed_demo makes the demo therapist the host, with free times for three weeks."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from consults.models import Booking, ConsultHost
from consults.selectors import slot_list

pytestmark = pytest.mark.django_db


def test_seed_demo_offers_three_weeks_of_times_and_books_a_few(settings, capsys) -> None:
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    host = ConsultHost.objects.get()
    assert host.therapist.user.email == "therapist@example.com"
    assert host.weekly_hours.count() == 10
    assert Booking.objects.count() == 3
    now = timezone.now()
    free = slot_list(start=now, end=now + timedelta(days=21)).slots
    weeks = {slot.starts_at.isocalendar()[1] for slot in free}
    assert len(weeks) >= 3
    assert not any(
        slot.starts_at == booking.starts_at for booking in Booking.objects.all() for slot in free
    )
