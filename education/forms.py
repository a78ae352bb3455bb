"""The writing page's form: parses what the therapist typed; the rules live in services."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from education.models import Article, Series, Topic
from education.paste import paste_clean
from practice.accounts.models import TherapistProfile


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=200)
    slug = forms.CharField(
        label="Address (slug)",
        max_length=200,
        required=False,
        help_text="Letters, numbers and hyphens; left blank, it is made from the title. "
        "Once published, changing it keeps the old address working.",
    )
    summary = forms.CharField(
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One or two sentences: the list, feeds and search engines show it.",
    )
    body = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "writing__body"}),
        help_text="Markdown. Link another article with [[article:its-address]]; show an "
        "exercise card with [[exercise:its-address]] on a line of its own.",
    )
    status = forms.ChoiceField(choices=Article.Status.choices)
    publish_at = forms.DateTimeField(
        label="Publish at",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    author = forms.ModelChoiceField(queryset=TherapistProfile.objects.all(), empty_label=None)
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    series = forms.ModelChoiceField(
        queryset=Series.objects.all(), required=False, empty_label="Not part of a series"
    )
    series_position = forms.IntegerField(
        label="Part number in the series",
        required=False,
        min_value=1,
        help_text="Left blank, the article becomes the series' next part.",
    )
    hero_image = forms.FileField(
        label="Hero image",
        required=False,
        help_text="JPEG, PNG, WebP or GIF, up to 10 MB. Resized for the web.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    hero_alt = forms.CharField(
        label="Hero image description",
        max_length=250,
        required=False,
        help_text="Required with an image: what it shows, for readers who cannot see it.",
    )
    hero_remove = forms.BooleanField(label="Remove the hero image", required=False)
    reviewed_on = forms.DateField(
        label="Reviewed on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reviewed_by = forms.CharField(label="Reviewed by", max_length=200, required=False)
    references = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One reference a line: a citation or a web address.",
    )
    note = forms.CharField(
        label="Note for this version",
        max_length=200,
        required=False,
        help_text="Optional: what changed, shown in the version history.",
    )

    def __init__(self, *args: object, zone: ZoneInfo, **kwargs: object) -> None:
        self.zone = zone
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields[
            "publish_at"
        ].help_text = f"For a scheduled article; in {zone.key.replace('_', ' ')} time."

    def clean_body(self) -> str:
        """What was pasted from a word processor or a web page, tidied (education.paste)."""
        return paste_clean(self.cleaned_data.get("body", ""))

    def clean_publish_at(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("publish_at")
        if value is None:
            return None
        naive = timezone.make_naive(value) if timezone.is_aware(value) else value
        return naive.replace(tzinfo=self.zone)


def article_initial(article: Article, *, zone: ZoneInfo) -> dict[str, object]:
    """The form's initial values for ``article`` (times in ``zone``)."""
    publish_at = (
        article.publish_at.astimezone(zone).replace(tzinfo=None) if article.publish_at else None
    )
    return {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "body": article.body,
        "status": article.status,
        "publish_at": publish_at,
        "author": article.author_id,
        "topics": [topic.pk for topic in article.topics.all()],
        "series": article.series_id,
        "series_position": article.series_position,
        "hero_alt": article.hero_alt,
        "reviewed_on": article.reviewed_on,
        "reviewed_by": article.reviewed_by,
        "references": article.references,
    }


class ImageUploadForm(forms.Form):
    image = forms.FileField(
        help_text="JPEG, PNG, WebP or GIF, up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    alt = forms.CharField(
        label="Image description",
        max_length=250,
        required=False,  # required by the service, which reports it with the image's errors
        help_text="What the image shows, for readers who cannot see it.",
    )
