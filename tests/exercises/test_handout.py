"""The PDF handout: a real PDF (read back with pypdf) for her and her therapist only."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from practice.accounts.models import User
from tests.exercises.helpers import exercise_make, picture_add, program_make

pytestmark = pytest.mark.django_db


def test_the_handout_is_a_pdf_attachment_with_the_program(
    therapist: User, patient: User, patient_client: Client, therapist_client: Client
) -> None:
    patient.full_name = "Margaret Hale"
    patient.save()
    stretch = exercise_make(
        name="Lunge hip-flexor stretch",
        kind="static_stretch",
        sets=1,
        reps=3,
        hold_seconds=15,
        side="both",
        times_per_day=2,
        days_per_week=7,
        steps=["Stand in a long stride holding a counter."],
    )
    picture_add(stretch, alt="A lunge at the kitchen counter")
    program = program_make(therapist=therapist, patient=patient, exercises=[stretch])
    for client in (patient_client, therapist_client):
        response = client.get(f"/programs/{program.pk}/handout.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="home-program-{program.pk}.pdf"'
        )
        # Her name and program: kept by no proxy and no shared computer's cache.
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        reader = PdfReader(io.BytesIO(response.content))
        text = " ".join(page.extract_text() for page in reader.pages)
        text = " ".join(text.split())
        assert "Wake up your glutes" in text
        assert "For Margaret Hale" in text
        assert "Lunge hip-flexor stretch" in text
        assert "Hold 15 seconds, 3 times on each side, twice a day, every day for 4 weeks." in text
        assert "Stand in a long stride holding a counter." in text
        assert "Ruth Calder" in text
        images = [img for page in reader.pages for img in page.images]
        assert len(images) >= 1  # the exercise picture (the QR code is vector art)


def test_nobody_else_gets_the_handout(
    therapist: User,
    patient: User,
    other_patient: User,
    other_therapist: User,
    client: Client,
) -> None:
    from tests.fixtures.accounts import login_with_password, login_with_totp

    program = program_make(therapist=therapist, patient=patient)
    url = f"/programs/{program.pk}/handout.pdf"
    assert client.get(url).status_code == 302  # sign in first
    login_with_password(client, other_patient.email)
    assert client.get(url).status_code == 404
    other = Client()
    login_with_totp(other, other_therapist)
    assert other.get(url).status_code == 404
