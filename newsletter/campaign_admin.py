"""Campaigns in the admin (registered through ``newsletter.admin``): write and edit drafts,
see progress, and the same actions as the therapist's pages, through the same services."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from newsletter import campaign_selectors as selectors
from newsletter import campaigns as services
from newsletter.models import Campaign


class CampaignAdminForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["subject", "preheader", "body", "audience_all", "audience_tags"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("audience_all") and not data.get("audience_tags"):
            raise ValidationError("Choose at least one segment, or send to everyone.")
        return data


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignAdminForm
    list_display = ["subject", "status", "created_at", "started_at", "progress"]
    list_filter = ["status"]
    search_fields = ["subject"]
    filter_horizontal = ["audience_tags"]
    readonly_fields = ["status", "scheduled_at", "started_at", "finished_at", "progress", "page"]
    actions = ["duplicate", "send_now", "pause", "resume", "cancel"]

    def get_readonly_fields(self, request: HttpRequest, obj: Campaign | None = None) -> Any:
        if obj is not None and not obj.editable:
            return [*CampaignAdminForm.Meta.fields, *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]  # staff: signed in
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: Campaign | None = None) -> bool:
        """Drafts only: a campaign that went out is part of the record (and the archive)."""
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == Campaign.Status.DRAFT)

    @admin.display(description="progress")
    def progress(self, obj: Campaign) -> str:
        if obj.editable:
            count = selectors.campaign_recipient_count(campaign=obj)
            return f"{count} would get it now"
        p = selectors.campaign_progress(campaign=obj)
        return f"{p.sent} sent, {p.failed} failed, {p.remaining} remaining, {p.skipped} skipped"

    @admin.display(description="page")
    def page(self, obj: Campaign) -> str:
        if obj.pk is None:
            return "-"
        url = reverse("newsletter:campaign_detail", kwargs={"pk": obj.pk})
        return format_html('<a href="{}">Preview, test, schedule and send</a>', url)

    def _each(
        self, request: HttpRequest, queryset: QuerySet[Campaign], act: Any, done: str
    ) -> None:
        count = 0
        for campaign in queryset:
            try:
                act(campaign=campaign)
            except ValidationError as exc:
                self.message_user(request, f"{campaign}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, f"{count} newsletter(s) {done}.", messages.SUCCESS)

    @admin.action(description="Duplicate as a new draft", permissions=["add"])
    def duplicate(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        def act(*, campaign: Campaign) -> None:
            services.campaign_duplicate(campaign=campaign, created_by=request.user)

        self._each(request, queryset, act, "duplicated")

    @admin.action(description="Send now", permissions=["change"])
    def send_now(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._each(request, queryset, services.campaign_send, "started sending")

    @admin.action(description="Pause sending", permissions=["change"])
    def pause(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._each(request, queryset, services.campaign_pause, "paused")

    @admin.action(description="Resume sending", permissions=["change"])
    def resume(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._each(request, queryset, services.campaign_resume, "resumed")

    @admin.action(description="Cancel", permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._each(request, queryset, services.campaign_cancel, "cancelled")
