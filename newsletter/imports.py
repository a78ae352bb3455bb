"""CSV import and export of subscribers (the admin and ``manage.py import_subscribers``).

Import rules (issue 8): columns ``email`` (required), ``first_name`` and ``tags`` (segment
names separated by commas or semicolons), any order, extra columns ignored. Invalid rows are
reported with their line numbers and skip nothing else; an address appearing twice is merged
(names: the first non-empty; tags: all). An address that has unsubscribed, bounced,
complained or been erased (its HMAC in ``Suppression``) is never subscribed again. With
consent evidence new contacts become active with that evidence recorded; without, they are
pending and sent one confirmation. Running the same file twice changes nothing and sends
nothing more.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from newsletter.addresses import address_hmac, address_normalise
from newsletter.models import ConsentRecord, Subscriber, Suppression, Tag
from newsletter.services import confirmation_send

COLUMNS = ("email", "first_name", "tags")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Addresses left alone because they left the list or were erased.
    suppressed: int = 0
    confirmations_sent: int = 0
    #: (line number in the file, counting the header as line 1, message)
    invalid: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.created} added, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.suppressed} left alone (unsubscribed, bounced, complained or erased), "
            f"{self.confirmations_sent} confirmation emails queued, "
            f"{len(self.invalid)} invalid rows."
        )


@dataclass
class _Row:
    line: int
    email: str
    first_name: str
    tags: set[str]


def csv_text_decode(data: bytes) -> str:
    """The text of an uploaded CSV: UTF-8 (with or without a byte-order mark).

    Raises ValidationError with a plain message when it is not UTF-8 text.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(
            "The file is not UTF-8 text. In your spreadsheet choose "
            '"CSV UTF-8 (comma delimited)" when saving.'
        ) from error


def subscribers_import(*, text: str, consent_evidence: str = "") -> ImportReport:
    """Import subscribers from CSV ``text``; returns what happened, row by row problems included.

    Raises ValidationError when the file has no ``email`` column (nothing is imported).
    """
    reader = csv.DictReader(io.StringIO(text, newline=""))
    headers = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    if "email" not in headers:
        raise ValidationError(
            'The first line must name the columns, including "email" '
            '(optional: "first_name", "tags").'
        )
    reader.fieldnames = headers
    report = ImportReport()
    rows = _rows_merged(reader, report)
    evidence = consent_evidence.strip()
    for row in rows.values():
        with transaction.atomic():
            _row_import(row, evidence=evidence, report=report)
    return report


def _rows_merged(reader: csv.DictReader[str], report: ImportReport) -> dict[str, _Row]:
    rows: dict[str, _Row] = {}
    for record in reader:
        line = reader.line_num
        if None in record:
            report.invalid.append((line, "more fields than the header names"))
            continue
        email = address_normalise(record.get("email") or "")
        if not email:
            if any((value or "").strip() for value in record.values()):
                report.invalid.append((line, "no email address"))
            continue
        try:
            validate_email(email)
        except ValidationError:
            report.invalid.append((line, f"{email!r} is not a valid email address"))
            continue
        if len(email) > 254:
            report.invalid.append((line, "the email address is longer than 254 characters"))
            continue
        first_name = (record.get("first_name") or "").strip()[:100]
        tags = {
            t.strip()[:60]
            for t in (record.get("tags") or "").replace(";", ",").split(",")
            if t.strip() and slugify(t.strip())
        }
        if email in rows:
            rows[email].tags |= tags
            rows[email].first_name = rows[email].first_name or first_name
        else:
            rows[email] = _Row(line=line, email=email, first_name=first_name, tags=tags)
    return rows


def _tag(name: str) -> Tag:
    slug = slugify(name)[:60]
    tag = Tag.objects.filter(slug=slug).first()
    return tag or Tag.objects.create(name=name, slug=slug)


def _row_import(row: _Row, *, evidence: str, report: ImportReport) -> None:
    subscriber = Subscriber.objects.select_for_update().filter(email=row.email).first()
    if subscriber is None and Suppression.objects.filter(address_hmac=address_hmac(row.email)):
        report.suppressed += 1
        return
    if subscriber is not None and subscriber.status in Subscriber.SUPPRESSED:
        report.suppressed += 1
        return
    now = timezone.now()
    created = subscriber is None
    if subscriber is None:
        subscriber = Subscriber.objects.create(
            email=row.email, first_name=row.first_name, status_changed_at=now
        )
    changed = created
    if row.first_name and not subscriber.first_name:
        subscriber.first_name = row.first_name
        subscriber.save(update_fields=["first_name"])
        changed = True
    tags = [_tag(name) for name in sorted(row.tags)]
    new_tags = [t for t in tags if not subscriber.tags.filter(pk=t.pk).exists()]
    if new_tags:
        subscriber.tags.add(*new_tags)
        changed = True
    if subscriber.status == Subscriber.Status.PENDING:
        if evidence:
            ConsentRecord.objects.create(
                subscriber=subscriber, method=ConsentRecord.Method.IMPORT, wording=evidence
            )
            subscriber.status = Subscriber.Status.ACTIVE
            subscriber.status_changed_at = now
            subscriber.confirmed_at = now
            subscriber.save(update_fields=["status", "status_changed_at", "confirmed_at"])
            changed = True
        elif subscriber.confirmation_sent_at is None:
            confirmation_send(subscriber=subscriber)
            report.confirmations_sent += 1
            changed = True
    if created:
        report.created += 1
    elif changed:
        report.updated += 1
    else:
        report.unchanged += 1


EXPORT_COLUMNS = ("email", "first_name", "tags", "status", "paused", "signed_up_at", "confirmed_at")


def _cell(value: str) -> str:
    """A value a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def subscribers_export_csv(*, subscribers: Iterable[Subscriber]) -> str:
    """CSV of the given subscribers (tags joined by ";", times ISO 8601 UTC); importable again.

    Prefetch ``tags`` on the queryset to read them in one query.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for s in subscribers:
        writer.writerow(
            [
                s.email,
                _cell(s.first_name),
                _cell(";".join(sorted(t.name for t in s.tags.all()))),
                s.status,
                "yes" if s.paused else "no",
                s.created_at.isoformat(),
                s.confirmed_at.isoformat() if s.confirmed_at else "",
            ]
        )
    return buffer.getvalue()
