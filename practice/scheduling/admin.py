from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import truncatechars

from practice.audit.admin import AuditedViewsAdminMixin
from practice.core.admin_mixins import OwnerOnlyAdminMixin, ReadOnlyAdminMixin
from practice.scheduling.models import Job
from practice.scheduling.services import jobs_retry


@admin.register(Job)
class JobAdmin(AuditedViewsAdminMixin, OwnerOnlyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Scheduled work for the practice owner: payloads may name patients, so views are audited."""

    list_display = ["key", "kind", "due_at", "state", "attempts", "error"]
    list_filter = [
        "kind",
        ("done_at", admin.EmptyFieldListFilter),
        ("cancelled_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["key", "kind"]
    date_hierarchy = "due_at"
    readonly_fields = (
        "kind", "key", "payload", "due_at", "done_at", "cancelled_at",
        "attempts", "last_error", "created_at",
    )  # fmt: skip
    fields = readonly_fields
    actions = ["retry_now"]

    @admin.display(description="last error")
    def error(self, obj: Job) -> str:
        return truncatechars(obj.last_error, 80)

    def audit_patient(self, obj: Job) -> None:
        return None

    def has_retry_now_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    @admin.action(description="Retry the selected failing jobs now", permissions=["retry_now"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Job]) -> None:
        count = jobs_retry(job_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} job(s) will run within a minute.", messages.SUCCESS)
