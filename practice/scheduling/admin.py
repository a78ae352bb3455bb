from django.contrib import admin
from django.template.defaultfilters import truncatechars

from practice.outbox.admin import StaffReadOnlyMixin
from practice.scheduling.models import Job


@admin.register(Job)
class JobAdmin(StaffReadOnlyMixin, admin.ModelAdmin):
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

    @admin.display(description="last error")
    def error(self, obj: Job) -> str:
        return truncatechars(obj.last_error, 80)
