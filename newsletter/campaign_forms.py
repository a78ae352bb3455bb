"""The therapist's campaign forms: writing one, scheduling it."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from newsletter.models import Campaign, Tag

AUDIENCE_CHOICES = [("all", "Everyone on the list"), ("segments", "Only the segments below")]


class CampaignForm(forms.Form):
    subject = forms.CharField(max_length=200)
    preheader = forms.CharField(
        max_length=200,
        required=False,
        help_text="Optional: the short line many mail apps show after the subject.",
    )
    body = forms.CharField(
        label="Text",
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=(
            "Markdown: a blank line between paragraphs, **bold**, *italic*, - for a list, "
            "## for a heading, [words](https://address) for a link."
        ),
    )
    audience = forms.ChoiceField(
        label="Send to", choices=AUDIENCE_CHOICES, initial="all", widget=forms.RadioSelect
    )
    segments = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    source_article = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        segments = self.fields["segments"]
        assert isinstance(segments, forms.MultipleChoiceField)
        segments.choices = [(tag.slug, tag.name) for tag in Tag.objects.order_by("name")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("audience") == "segments" and not data.get("segments"):
            self.add_error("segments", "Choose at least one segment, or send to everyone.")
        return data

    @classmethod
    def initial_from(cls, campaign: Campaign) -> dict[str, Any]:
        return {
            "subject": campaign.subject,
            "preheader": campaign.preheader,
            "body": campaign.body,
            "audience": "all" if campaign.audience_all else "segments",
            "segments": list(campaign.audience_tags.values_list("slug", flat=True)),
            "source_article": campaign.source_article,
        }

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        everyone = data["audience"] == "all"
        return {
            "subject": data["subject"],
            "preheader": data["preheader"],
            "body": data["body"],
            "audience_all": everyone,
            "audience_tags": [] if everyone else data["segments"],
            "source_article": data["source_article"],
        }


class ScheduleForm(forms.Form):
    """A send time on the practice's clock (its zone is named beside the field)."""

    send_at = forms.DateTimeField(
        label="Send on",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args: Any, zone: ZoneInfo, **kwargs: Any) -> None:
        self.zone = zone
        super().__init__(*args, **kwargs)

    def clean_send_at(self) -> datetime:
        value: datetime = self.cleaned_data["send_at"]
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=self.zone)


class ArticleChoiceForm(forms.Form):
    article = forms.ChoiceField(label="Article", choices=())

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        article = self.fields["article"]
        assert isinstance(article, forms.ChoiceField)
        article.choices = choices
