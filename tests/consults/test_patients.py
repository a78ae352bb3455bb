"""A visitor booking with an existing patient's address: linked to her record only once she
confirms from the email to that address; she then sees it in her portal, and nobody else."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.test import Client
from django.urls import reverse

from consults.models import BookingPatient
from practice.scheduling.services import jobs_run_due
from tests.consults.helpers import book, sent_to

NEW_YORK = ZoneInfo("America/New_York")


def link_path(body: str) -> str:
    start = body.index("/consults/record/link/")
    return body[start : body.index("\n", start)].strip()


def test_a_patients_address_gets_a_link_and_her_yes_links_the_consult(
    host, patient, other_patient, django_capture_on_commit_callbacks
) -> None:
    with (
        time_machine.travel(datetime(2026, 11, 20, 15, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        booking = book(host, datetime(2026, 12, 1, 10, 0, tzinfo=NEW_YORK), email=patient.email)
    assert len(sent_to(patient.email)) == 1  # the offer waits for the scanner
    jobs_run_due()
    [_, offer] = sent_to(patient.email)
    assert offer.subject == "Add your phone consult to your record"
    assert not BookingPatient.objects.exists()

    visitor = Client()
    opened = visitor.get(link_path(offer.text_body))
    assert opened["Location"] == reverse("consults:patient_link_confirm")
    assert "Yes, this consult is mine" in visitor.get(opened["Location"]).content.decode()
    visitor.post(reverse("consults:patient_link_confirm"))

    assert BookingPatient.objects.get().booking == booking
    mine = Client()
    mine.force_login(patient)
    assert (
        "10 a.m. EST on Tuesday, December 1, 2026"
        in mine.get(reverse("consults:mine")).content.decode()
    )
    others = Client()
    others.force_login(other_patient)
    assert "December 1, 2026" not in others.get(reverse("consults:mine")).content.decode()


def test_an_unknown_address_gets_no_link(host, django_capture_on_commit_callbacks) -> None:
    with (
        time_machine.travel(datetime(2026, 11, 20, 15, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        book(host, datetime(2026, 12, 1, 10, 0, tzinfo=NEW_YORK), email="new@example.com")
    jobs_run_due()
    assert len(sent_to("new@example.com")) == 1


def test_a_forged_link_is_a_clear_page(client, db) -> None:
    response = client.get(reverse("consults:patient_link", args=["forged:token"]))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert client.get(reverse("consults:patient_link_confirm")).status_code == 404
