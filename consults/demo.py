"""Demo data: the demo therapist takes consults on weekday mornings and afternoons, so the
booking page has free times for the next three weeks on first run, and a few are booked."""

from datetime import time, timedelta

from django.utils import timezone

from consults.models import Booking, ConsultHost, WeeklyHours
from consults.selectors import slot_list
from consults.services import BookingRequest, booking_create
from consults.slot_cache import slots_changed
from practice.accounts.demo import THERAPIST_EMAIL
from practice.accounts.models import TherapistProfile

HOURS = ((time(9), time(12)), (time(13), time(16)))
#: (name, email, phone, concern, sentence, which free slot: every n-th of the coming slots)
VISITORS = [
    ("Joan Carter", "joan.carter@example.com", "+12025550141", "bone_density",
     "My DXA came back with osteoporosis and I am scared to exercise.", 3),
    ("Linda Park", "linda.park@example.com", "+12025550142", "balance",
     "I tripped twice this winter.", 40),
    ("Susan Moore", "susan.moore@example.com", "+12025550143", "fracture",
     "Wrist fracture in March; the cast is off.", 90),
]  # fmt: skip


def seed() -> None:
    """Make the demo therapist a host with weekday hours (once) and book a few consults."""
    therapist = TherapistProfile.objects.filter(user__email=THERAPIST_EMAIL).first()
    if therapist is None:
        return
    host, created = ConsultHost.objects.get_or_create(
        therapist=therapist,
        defaults={"buffer_after_minutes": 5, "minimum_notice_minutes": 12 * 60},
    )
    if created or not host.weekly_hours.exists():
        WeeklyHours.objects.bulk_create(
            WeeklyHours(host=host, weekday=day, starts=starts, ends=ends)
            for day in range(5)
            for starts, ends in HOURS
        )
        slots_changed()  # bulk_create sends no signal
    now = timezone.now()
    free = slot_list(start=now, end=now + timedelta(days=21), host_id=host.pk).slots
    for name, email, phone, concern, detail, index in VISITORS:
        if Booking.objects.filter(email=email).exists() or index >= len(free):
            continue
        booking_create(
            request=BookingRequest(
                starts_at=free[index].starts_at,
                time_zone=str(host.zone.key),
                name=name,
                email=email,
                phone=phone,
                concern=concern,
                concern_detail=detail,
                consent=True,
                host_id=host.pk,
            )
        )
