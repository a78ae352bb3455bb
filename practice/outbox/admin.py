"""The outbox for staff: what was sent, what failed and why, and a way to send again.

Content is read-only; the only action is "Resend".
"""

from typing import cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import truncatechars

from practice.outbox.models import OutboxAttachment, OutboxMessage
from practice.outbox.services import messages_resend

#: Shown to staff instead of a private email's content (a sign-in, password or invite link).
HIDDEN_CONTENT = "Hidden: this email holds a private link that only its recipient may see."


class StaffReadOnlyMixin:
    """Staff may look; nobody adds, edits or deletes through the admin."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AttachmentInline(StaffReadOnlyMixin, admin.TabularInline):
    model = OutboxAttachment
    readonly_fields = ("filename", "mimetype", "size")
    fields = readonly_fields
    extra = 0

    @admin.display(description="size")
    def size(self, obj: OutboxAttachment) -> str:
        return f"{len(obj.content):,} bytes"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(StaffReadOnlyMixin, admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "error", "created_at", "sent_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["to", "subject", "idempotency_key"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    inlines = [AttachmentInline]
    fieldsets = [
        (None, {"fields": ["to", "reply_to", "subject", "status", "attempts", "last_error"]}),
        ("When", {"fields": ["created_at", "next_attempt_at", "sent_at"]}),
        ("Content", {"fields": ["private", "text_content", "html_content"]}),
        ("Technical", {"fields": ["idempotency_key", "message_id_header", "headers"]}),
    ]
    readonly_fields = [
        name for _, options in fieldsets for name in cast(list[str], options["fields"])
    ]

    @admin.display(description="last error")
    def error(self, obj: OutboxMessage) -> str:
        return truncatechars(obj.last_error, 80)

    @admin.display(description="text")
    def text_content(self, obj: OutboxMessage) -> str:
        return HIDDEN_CONTENT if obj.private else obj.text_body

    @admin.display(description="HTML")
    def html_content(self, obj: OutboxMessage) -> str:
        return HIDDEN_CONTENT if obj.private else obj.html_body

    def has_resend_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_staff

    @admin.action(description="Resend the selected emails", permissions=["resend"])
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = messages_resend(message_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} email(s) queued to be sent again.", messages.SUCCESS)
        waiting = queryset.filter(status=OutboxMessage.Status.QUEUED).count()
        if waiting:
            self.message_user(
                request,
                f"{waiting} email(s) were still waiting to go out and were left as they are.",
                messages.WARNING,
            )
        erased = queryset.filter(private=True, status__in=OutboxMessage.FINISHED).count()
        if erased:
            self.message_user(
                request,
                f"{erased} email(s) held a private link that was erased, so they "
                "cannot be sent again. Ask her to request a new link from the site.",
                messages.WARNING,
            )
