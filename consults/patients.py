"""Consults of existing patients: linking a visitor's booking to her record, her own list.

A visitor who books with the address of an existing patient's account is not linked at once
(anyone can type an address): the address gets an email asking to confirm, and opening its
signed link and saying yes links the consult to her record. The booking page answers the same
whether or not the address belongs to a patient (no account enumeration).
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse

from consults.invites import booking_times
from consults.models import Booking, BookingPatient
from practice.accounts.models import User
from practice.accounts.selectors import email_owner_get
from practice.outbox.services import email_queue

_SALT = "consults.booking.patient_link"
#: The job that offers the link (``consults.jobs``), scheduled by ``booking_confirmed``.
PATIENT_LINK_KIND = "consults.patient_link"
LINK_MAX_AGE = timedelta(days=30)


def patient_link_offer(*, booking: Booking) -> bool:
    """Email the booking's address a link to add the consult to her record, when the address
    belongs to a patient's account; returns whether it did."""
    owner = email_owner_get(email=booking.email)
    if owner is None or owner.role != User.Role.PATIENT:
        return False
    token = signing.dumps({"b": booking.pk, "p": owner.pk}, salt=_SALT, compress=False)
    email_queue(
        to=booking.email,
        template="consults/patient_link",
        context={
            "name": owner.greeting_name,
            "when": booking_times(booking).visitor,
            "link_url": settings.SITE_URL + reverse("consults:patient_link", args=[token]),
        },
        idempotency_key=f"consults/patient_link:{booking.pk}",
        private=True,
    )
    return True


def patient_link_read(token: str) -> tuple[Booking, User] | None:
    """The booking and patient a genuine, recent link names, if both still exist."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return patient_link_by_ids(booking_id=data.get("b"), patient_id=data.get("p"))


def patient_link_by_ids(*, booking_id: object, patient_id: object) -> tuple[Booking, User] | None:
    if not (isinstance(booking_id, int) and isinstance(patient_id, int)):
        return None
    booking = Booking.objects.select_related("host__therapist").filter(pk=booking_id).first()
    patient = User.objects.filter(pk=patient_id, role=User.Role.PATIENT).first()
    if booking is None or patient is None:
        return None
    return booking, patient


def patient_link_confirm(*, booking: Booking, patient: User) -> BookingPatient:
    """Link ``booking`` to ``patient``'s record (she said yes from the emailed link); once."""
    existing = BookingPatient.objects.filter(booking=booking).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return BookingPatient.objects.create(booking=booking, patient=patient)
    except IntegrityError:
        return BookingPatient.objects.get(booking=booking)


def patient_consult_list(*, patient: User) -> list[Booking]:
    """Her own linked consults, newest first (only hers: the query starts from her)."""
    return list(
        Booking.objects.filter(patient_link__patient=patient)
        .select_related("host__therapist")
        .order_by("-starts_at")
    )
