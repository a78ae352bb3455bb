"""CSV import (the admin and manage.py import_subscribers) and CSV export."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from newsletter.imports import subscribers_export_csv, subscribers_import
from newsletter.models import ConsentRecord, Subscriber
from practice.outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db

FILE = """\
email,first_name,tags
ada@example.com,Ada,patient; osteoporosis
not-an-address,Bad,
,,
BEA@example.com,,balance
ada@example.com,Ada Again,balance
gone@example.com,Gone,
"""


def test_with_consent_evidence_new_contacts_become_active_with_the_evidence_recorded() -> None:
    Subscriber.objects.create(email="gone@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    report = subscribers_import(text=FILE, consent_evidence="Ticked the box on the intake form")
    assert report.invalid == [(3, "'not-an-address' is not a valid email address")]
    assert (report.created, report.suppressed) == (2, 1)
    ada = Subscriber.objects.get(email="ada@example.com")
    assert ada.status == Subscriber.Status.ACTIVE
    assert ada.first_name == "Ada"
    assert sorted(ada.tags.values_list("slug", flat=True)) == ["balance", "osteoporosis", "patient"]
    assert ada.consents.get().wording == "Ticked the box on the intake form"
    assert ada.consents.get().method == ConsentRecord.Method.IMPORT
    assert Subscriber.objects.get(email="bea@example.com").status == Subscriber.Status.ACTIVE
    assert Subscriber.objects.get(email="gone@example.com").status == "unsubscribed"
    assert not OutboxMessage.objects.exists()


def test_without_evidence_each_new_contact_gets_one_confirmation_even_if_run_twice() -> None:
    first = subscribers_import(text=FILE)
    assert first.confirmations_sent == 3
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"pending"}
    second = subscribers_import(text=FILE)
    assert (second.created, second.updated, second.confirmations_sent) == (0, 0, 0)
    assert second.unchanged == 3
    assert OutboxMessage.objects.count() == 3
    assert {m.to for m in OutboxMessage.objects.all()} == {
        "ada@example.com",
        "bea@example.com",
        "gone@example.com",
    }


def test_bounced_and_complained_addresses_are_never_re_subscribed() -> None:
    for status in ("bounced", "complained"):
        Subscriber.objects.create(email=f"{status}@example.com", status=status)
    text = "email\nbounced@example.com\ncomplained@example.com\n"
    report = subscribers_import(text=text, consent_evidence="Old list")
    assert report.suppressed == 2
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"bounced", "complained"}


def test_a_file_without_an_email_column_is_refused_whole() -> None:
    with pytest.raises(Exception, match='including "email"'):
        subscribers_import(text="name,tags\nAda,patient\n")
    assert not Subscriber.objects.exists()


def test_the_command_reports_invalid_rows_with_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(FILE, encoding="utf-8-sig")  # Excel's "CSV UTF-8" writes a BOM
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_subscribers", str(path), "--consent-evidence", "Paper form", stdout=out, stderr=err
    )
    assert f"{path}:3: 'not-an-address' is not a valid email address" in err.getvalue()
    assert "3 added" in out.getvalue()
    path.write_bytes("email\ncaf\xe9@example.com\n".encode("latin-1"))
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("import_subscribers", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_subscribers", str(tmp_path / "missing.csv"))


def test_the_export_is_a_csv_the_import_reads_back() -> None:
    subscribers_import(text=FILE, consent_evidence="Paper form")
    Subscriber.objects.filter(email="ada@example.com").update(first_name="=HYPERLINK(1)")
    text = subscribers_export_csv(
        subscribers=Subscriber.objects.prefetch_related("tags").order_by("pk")
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["email"] for r in rows] == ["ada@example.com", "bea@example.com", "gone@example.com"]
    assert rows[0]["tags"] == "balance;osteoporosis;patient"
    assert rows[0]["first_name"] == "'=HYPERLINK(1)"  # never a formula in a spreadsheet
    Subscriber.objects.all().delete()
    assert subscribers_import(text=text, consent_evidence="Re-import").created == 3


def test_the_admin_imports_an_uploaded_file_and_exports_the_list(owner_client: Client) -> None:
    upload = SimpleUploadedFile("list.csv", FILE.encode(), content_type="text/csv")
    response = owner_client.post(
        reverse("admin:newsletter_subscriber_import"),
        {"file": upload, "consent_evidence": "Paper form"},
    )
    assert response.status_code == 200
    assert "3 added" in response.text
    assert "not-an-address" in response.text  # the invalid row, with its line
    export = owner_client.get(reverse("admin:newsletter_subscriber_export"))
    assert export["Content-Type"].startswith("text/csv")
    assert b"ada@example.com" in export.content
    bad = SimpleUploadedFile("list.csv", b"\xff\xfe\x00bad", content_type="text/csv")
    response = owner_client.post(reverse("admin:newsletter_subscriber_import"), {"file": bad})
    assert response.status_code == 200
    assert "not UTF-8" in response.text
