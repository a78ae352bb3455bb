"""Writing and sending campaigns: the services behind the therapist's pages, the admin and
the staff API (one set of rules for all three).

Every change of state locks the campaign row, so it waits for a batch that is being handed
to the outbox and the next batch sees the new state (``newsletter.fanout``).
"""

import uuid
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from newsletter import fanout
from newsletter.campaign_emails import (
    campaign_body_html,
    campaign_email_for_test,
    campaign_email_render,
)
from newsletter.models import Campaign, Tag
from practice.core.page_cache import public_pages_changed
from practice.outbox.models import OutboxMessage
from practice.outbox.services import email_queue_rendered
from practice.scheduling.services import job_cancel, job_schedule

#: A scheduled time this close to now (or past) is refused: send it now instead.
SCHEDULE_LEAD = timedelta(minutes=1)
START_JOB_KIND = "newsletter.campaign_start"

CONTENT_FIELDS = ("subject", "preheader", "body", "source_article", "audience_all")


def _start_job_key(campaign: Campaign) -> str:
    return f"newsletter:campaign:{campaign.pk}:start"


def _tags(slugs: Collection[str]) -> list[Tag]:
    # A NUL can be in no slug, and PostgreSQL refuses it in a query: unknown, not a 500.
    tags = list(Tag.objects.filter(slug__in=[slug for slug in slugs if "\x00" not in slug]))
    unknown = sorted(set(slugs) - {tag.slug for tag in tags})
    if unknown:
        raise ValidationError({"audience": f"Unknown segment(s): {', '.join(unknown)}."})
    return tags


def _validate(campaign: Campaign, tags: list[Tag]) -> None:
    errors: dict[str, str] = {}
    if not campaign.subject.strip():
        errors["subject"] = "Please write a subject."
    if not campaign.body.strip():
        errors["body"] = "Please write the newsletter's text."
    if not campaign.audience_all and not tags:
        errors["audience"] = "Choose at least one segment, or send to everyone."
    if errors:
        raise ValidationError(errors)


def campaign_create(
    *,
    subject: str,
    body: str,
    preheader: str = "",
    audience_all: bool = True,
    audience_tags: Collection[str] = (),
    source_article: str = "",
    created_by: Any = None,
) -> Campaign:
    """A draft campaign. ``audience_tags`` are segment slugs, used when not ``audience_all``.

    Raises ``ValidationError`` (by field: subject, body, audience) for missing text, an
    unknown segment or an empty choice of segments.
    """
    campaign = Campaign(
        subject=subject.strip(),
        preheader=preheader.strip(),
        body=body,
        audience_all=audience_all,
        source_article=source_article,
        created_by=created_by,
    )
    tags = _tags(audience_tags)
    _validate(campaign, tags)
    with transaction.atomic():
        campaign.save()
        campaign.audience_tags.set(tags)
    return campaign


def campaign_update(
    *, campaign: Campaign, audience_tags: Collection[str] | None = None, **changes: Any
) -> Campaign:
    """Change a draft or scheduled campaign's content or audience (``CONTENT_FIELDS``).

    Raises ``ValidationError`` once it has started: every recipient must get one copy.
    """
    with transaction.atomic():
        campaign = _locked(campaign)
        if not campaign.editable:
            raise ValidationError("This campaign has started: its content can no longer change.")
        for name, value in changes.items():
            if name not in CONTENT_FIELDS:
                raise TypeError(f"campaign_update() cannot change {name!r}")
            setattr(campaign, name, value.strip() if name in ("subject", "preheader") else value)
        tags = (
            _tags(audience_tags)
            if audience_tags is not None
            else list(campaign.audience_tags.all())
        )
        _validate(campaign, tags)
        campaign.save()
        campaign.audience_tags.set(tags)
    return campaign


def campaign_duplicate(*, campaign: Campaign, created_by: Any = None) -> Campaign:
    """A new draft with the campaign's content and audience, to start the next one from."""
    with transaction.atomic():
        copy = Campaign.objects.create(
            subject=campaign.subject,
            preheader=campaign.preheader,
            body=campaign.body,
            source_article=campaign.source_article,
            audience_all=campaign.audience_all,
            created_by=created_by,
        )
        copy.audience_tags.set(campaign.audience_tags.all())
    return copy


def campaign_send(*, campaign: Campaign) -> Campaign:
    """Start sending a draft or scheduled campaign now.

    Raises ``ValidationError`` if it has already started or its audience is empty.
    """
    with transaction.atomic():
        campaign = _locked(campaign)
        if not campaign.editable:
            raise ValidationError(f"This campaign is {campaign.get_status_display().lower()}.")
        if not fanout.campaign_audience(campaign).exists():
            raise ValidationError("No one is in this audience yet: nobody would get it.")
        _start(campaign)
    return campaign


def campaign_schedule(*, campaign: Campaign, at: datetime) -> Campaign:
    """Send a draft (or move a scheduled campaign) at ``at`` (aware; stored in UTC).

    A Job row starts it then (``newsletter.campaign_start``). Raises ``ValidationError``
    for a time less than a minute ahead or a campaign that has started.
    """
    if timezone.is_naive(at):
        raise ValueError("at must be timezone-aware.")
    if at < timezone.now() + SCHEDULE_LEAD:
        raise ValidationError({"scheduled_at": "Choose a time in the future, or send it now."})
    with transaction.atomic():
        campaign = _locked(campaign)
        if not campaign.editable:
            raise ValidationError(f"This campaign is {campaign.get_status_display().lower()}.")
        campaign.status, campaign.scheduled_at = Campaign.Status.SCHEDULED, at
        campaign.save(update_fields=["status", "scheduled_at", "updated_at"])
        job_schedule(
            kind=START_JOB_KIND,
            key=_start_job_key(campaign),
            due_at=at,
            payload={"campaign_id": campaign.pk},
        )
    return campaign


def campaign_unschedule(*, campaign: Campaign) -> Campaign:
    """Turn a scheduled campaign back into a draft (it will not go out on its own)."""
    return _status_move(
        campaign,
        source=Campaign.Status.SCHEDULED,
        target=Campaign.Status.DRAFT,
        refused="Only a scheduled campaign can be unscheduled.",
        then=lambda moved: job_cancel(key=_start_job_key(moved)),
        scheduled_at=None,
    )


def campaign_start_due(*, campaign_id: int) -> None:
    """The Job's work: start a campaign still scheduled for now or earlier (else nothing)."""
    campaign = (
        Campaign.objects.select_for_update()
        .filter(pk=campaign_id, status=Campaign.Status.SCHEDULED)
        .first()
    )
    if campaign is None or campaign.scheduled_at is None:
        return
    if campaign.scheduled_at > timezone.now() + timedelta(seconds=5):
        return  # moved later: its own job runs then
    _start(campaign)


def _start(campaign: Campaign) -> None:
    """Freeze the content, fix the recipients and hand the first batch to a worker."""
    now = timezone.now()
    campaign.body_html = campaign_body_html(campaign)
    campaign.status, campaign.started_at = Campaign.Status.SENDING, now
    campaign.save(update_fields=["body_html", "status", "started_at", "updated_at"])
    fanout.deliveries_create(campaign)
    public_pages_changed()  # its page in the archive ("view in your browser") now answers
    _batch_on_commit(campaign)


def _batch_on_commit(campaign: Campaign) -> None:
    from newsletter.campaign_tasks import campaign_batch

    campaign_id = campaign.pk

    def campaign_batch_after_commit() -> None:  # named: Django's robust error log needs one
        campaign_batch.delay(campaign_id)

    transaction.on_commit(campaign_batch_after_commit, robust=True)


def campaign_pause(*, campaign: Campaign) -> Campaign:
    """Stop a sending campaign before its next batch (emails already with the outbox go)."""
    return _status_move(
        campaign,
        source=Campaign.Status.SENDING,
        target=Campaign.Status.PAUSED,
        refused="Only a campaign that is sending can be paused.",
    )


def campaign_resume(*, campaign: Campaign) -> Campaign:
    """Go on with a paused campaign where it stopped: nobody is skipped or sent it twice."""
    return _status_move(
        campaign,
        source=Campaign.Status.PAUSED,
        target=Campaign.Status.SENDING,
        refused="Only a paused campaign can be resumed.",
        then=_batch_on_commit,
    )


def campaign_cancel(*, campaign: Campaign) -> Campaign:
    """Stop a scheduled, sending or paused campaign for good: the recipients whose batch has
    not come never get it (emails already with the outbox still go)."""
    with transaction.atomic():
        campaign = _locked(campaign)
        cancellable = (Campaign.Status.SCHEDULED, Campaign.Status.SENDING, Campaign.Status.PAUSED)
        if campaign.status not in cancellable:
            raise ValidationError(
                f"A {campaign.get_status_display().lower()} campaign cannot be cancelled."
            )
        campaign.status, campaign.finished_at = Campaign.Status.CANCELLED, timezone.now()
        campaign.save(update_fields=["status", "finished_at", "updated_at"])
        job_cancel(key=_start_job_key(campaign))
        public_pages_changed()
    return campaign


def campaign_test_send(*, campaign: Campaign, to: str) -> OutboxMessage:
    """Send the campaign as it stands to ``to`` (the signed-in staff member), marked as a
    test; its list links lead to the home page. Each test send is a new email."""
    email = campaign_email_render(campaign=campaign, test=True)
    text, html = campaign_email_for_test(email)
    return email_queue_rendered(
        to=to,
        subject=email.subject,
        text=text,
        html=html,
        idempotency_key=f"newsletter:campaign:{campaign.pk}:test:{uuid.uuid4().hex}",
    )


def _locked(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _status_move(
    campaign: Campaign,
    *,
    source: str,
    target: str,
    refused: str,
    then: Callable[[Campaign], object] | None = None,
    **fields: object,
) -> Campaign:
    """In one transaction: lock the campaign, check it is ``source`` (else ValidationError
    ``refused``), make it ``target`` with ``fields`` set, save, and run ``then`` on it."""
    with transaction.atomic():
        campaign = _locked(campaign)
        if campaign.status != source:
            raise ValidationError(refused)
        campaign.status = target
        for name, value in fields.items():
            setattr(campaign, name, value)
        campaign.save(update_fields=["status", *fields, "updated_at"])
        if then is not None:
            then(campaign)
    return campaign
