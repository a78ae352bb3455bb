"""Staff screens for the list: subscribers (import, export, data export, erasure, and the
provider's bounces and complaints about each), segments, the guide, the suppression list and
the bounce log (read-only)."""

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone

from newsletter import (
    campaign_admin,  # noqa: F401 (registers the campaign admin)
    services,
)
from newsletter.imports import csv_text_decode, subscribers_export_csv, subscribers_import
from newsletter.models import (
    BounceEvent,
    ConsentRecord,
    LeadMagnet,
    Subscriber,
    Suppression,
    Tag,
)
from practice.core.admin_mixins import ReadOnlyAdminMixin
from practice.core.page_cache import public_pages_changed


class ConsentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ConsentRecord
    fields = (
        "created_at",
        "method",
        "source",
        "ip_address",
        "user_agent",
        "wording_version",
        "wording",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False


class BounceInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Every bounce and complaint the provider reported: why she was suppressed."""

    model = BounceEvent
    fields = (
        "occurred_at",
        "kind",
        "suppressed",
        "lifted_at",
        "status_code",
        "description",
        "diagnostic",
        "campaign",
        "message_key",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text='Columns: "email" (required), "first_name", "tags" (separated by ";"). UTF-8.',
    )
    consent_evidence = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Leave empty and each new contact is emailed a confirmation link. Fill in how these "
            "people agreed to receive the newsletter (e.g. 'Ticked the newsletter box on the "
            "paper intake form, 2025') and they are added as active, with this text recorded."
        ),
    )


SUBSCRIBER_FIELDS = (
    "email",
    "first_name",
    "status",
    "paused",
    "tags",
    "created_at",
    "status_changed_at",
    "confirmed_at",
    "confirmed_ip",
    "confirmed_user_agent",
    "confirmation_sent_at",
    "soft_bounces_cleared_at",
    "status_without_soft_bounces",
)


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "first_name",
        "status",
        "paused",
        "segments",
        "created_at",
        "downloads_count",
    ]
    list_filter = ["status", "paused", "tags", "created_at"]
    search_fields = ["email", "first_name"]
    date_hierarchy = "created_at"
    filter_horizontal = ["tags"]
    inlines = [ConsentInline, BounceInline]
    actions = ["export_csv", "export_data", "unsubscribe", "erase"]
    fields = SUBSCRIBER_FIELDS
    #: Staff edit only her name, pause and segments; the rest is her own doing or evidence.
    readonly_fields = tuple(
        f for f in SUBSCRIBER_FIELDS if f not in ("first_name", "paused", "tags")
    )
    change_list_template = "admin/newsletter/subscriber/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Subscriber]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related("tags")
            .annotate(downloads_total=Count("downloads", distinct=True))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people join by the form (double opt-in) or an import with evidence

    @admin.display(description="segments")
    def segments(self, obj: Subscriber) -> str:
        return ", ".join(t.name for t in obj.tags.all())

    @admin.display(description="guide downloads", ordering="downloads_total")
    def downloads_count(self, obj: Any) -> int:
        return int(obj.downloads_total)

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="newsletter_subscriber_import",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="newsletter_subscriber_export",
            ),
        ]
        return extra + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                text = csv_text_decode(form.cleaned_data["file"].read())
                report = subscribers_import(
                    text=text, consent_evidence=form.cleaned_data["consent_evidence"]
                )
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, report.summary())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import subscribers from CSV",
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/newsletter/subscriber/import.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            return redirect("admin:index")
        return self._csv_response(Subscriber.objects.prefetch_related("tags").order_by("pk"))

    def _csv_response(self, subscribers: QuerySet[Subscriber]) -> HttpResponse:
        response = HttpResponse(
            subscribers_export_csv(subscribers=subscribers), content_type="text/csv; charset=utf-8"
        )
        stamp = timezone.now().strftime("%Y-%m-%d")
        response["Content-Disposition"] = f'attachment; filename="subscribers-{stamp}.csv"'
        return response

    @admin.action(description="Export the selected subscribers as CSV")
    def export_csv(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> HttpResponse:
        return self._csv_response(queryset.order_by("pk"))

    @admin.action(description="Export all data held about the selected subscribers (JSON)")
    def export_data(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> HttpResponse:
        data = [services.subscriber_data_export(subscriber=s) for s in queryset.order_by("pk")]
        response = HttpResponse(
            json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="subscriber-data.json"'
        return response

    @admin.action(description="Unsubscribe the selected subscribers")
    def unsubscribe(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        for subscriber in queryset:
            services.subscriber_unsubscribe(subscriber=subscriber)
        messages.success(request, f"{len(queryset)} unsubscribed.")

    @admin.action(
        description="Erase the selected subscribers on their request (keeps only a one-way code)",
        permissions=["delete"],
    )
    def erase(self, request: HttpRequest, queryset: QuerySet[Subscriber]) -> None:
        count = 0
        for subscriber in queryset:
            services.subscriber_erase(subscriber=subscriber)
            count += 1
        messages.success(request, f"{count} erased; their addresses will never be imported again.")


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "public", "subscriber_count"]
    list_filter = ["public"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Tag]:
        return super().get_queryset(request).annotate(subscriber_total=Count("subscribers"))

    @admin.display(description="subscribers", ordering="subscriber_total")
    def subscriber_count(self, obj: Any) -> int:
        return int(obj.subscriber_total)


@admin.register(LeadMagnet)
class LeadMagnetAdmin(admin.ModelAdmin):
    list_display = ["title", "active", "updated_at", "download_count"]
    list_filter = ["active"]
    fields = ["title", "description", "cover_image", "cover_image_alt", "pdf", "filename", "active"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LeadMagnet]:
        return super().get_queryset(request).annotate(download_total=Count("downloads"))

    def save_model(self, request: HttpRequest, obj: LeadMagnet, form: Any, change: bool) -> None:
        if obj.active:  # one active guide: the one saved now replaces the others
            LeadMagnet.objects.exclude(pk=obj.pk).filter(active=True).update(active=False)
        super().save_model(request, obj, form, change)
        public_pages_changed()  # the guide page shows its title, description and cover

    def delete_model(self, request: HttpRequest, obj: LeadMagnet) -> None:
        super().delete_model(request, obj)
        public_pages_changed()

    @admin.display(description="downloads", ordering="download_total")
    def download_count(self, obj: Any) -> int:
        return int(obj.download_total)


@admin.register(Suppression)
class SuppressionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["address_hmac", "reason", "created_at"]
    list_filter = ["reason"]


@admin.register(BounceEvent)
class BounceEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "subscriber",
        "kind",
        "suppressed",
        "lifted_at",
        "status_code",
        "campaign",
    ]
    list_filter = ["kind", "suppressed", "occurred_at"]
    list_select_related = ["subscriber", "campaign"]
    search_fields = ["subscriber__email"]
    date_hierarchy = "occurred_at"
