"""The outbox for the practice owner: what was sent, what failed and why, and a way to resend.

Owner-only, because recipients and subjects reveal who is a patient and who asked for a
password reset; every opening is audited. Content is read-only; the only action is "Resend".
URL filters are limited to the offered ones (``SafeLookupsMixin``), so hidden content cannot
be probed with lookups such as ``?text_body__startswith=``.
"""

from typing import cast

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import truncatechars

from practice.audit.admin import AuditedViewsAdminMixin
from practice.core.admin_mixins import OwnerOnlyAdminMixin, ReadOnlyAdminMixin
from practice.outbox.models import OutboxAttachment, OutboxMessage
from practice.outbox.services import messages_resend

#: Shown to staff instead of a private email's content (a sign-in, password or invite link).
HIDDEN_CONTENT = "Hidden: this email holds a private link that only its recipient may see."


class AttachmentInline(OwnerOnlyAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = OutboxAttachment
    readonly_fields = ("filename", "mimetype", "size")
    fields = readonly_fields
    extra = 0

    @admin.display(description="size")
    def size(self, obj: OutboxAttachment) -> str:
        return f"{len(obj.content):,} bytes"


@admin.register(OutboxMessage)
class OutboxMessageAdmin(
    AuditedViewsAdminMixin, OwnerOnlyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
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
        return self.has_view_permission(request)

    def audit_patient(self, obj: OutboxMessage) -> AbstractBaseUser | None:
        """The account the email went to, if there is one."""
        return get_user_model()._default_manager.filter(email__iexact=obj.to).first()

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
