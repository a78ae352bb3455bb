from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.core.admin_mixins import OwnerOnlyAdminMixin, ReadOnlyAdminMixin


class AuditedViewsAdminMixin:
    """Every staff opening of this admin's list or of one of its records is audited.

    Subclasses say whose data a record is with ``audit_patient`` (None: nobody's in particular).
    """

    opts: Any  # provided by ModelAdmin
    audit_patient: Callable[[Any], AbstractBaseUser | None]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        is_admin = issubclass(cls, admin.options.BaseModelAdmin)
        if is_admin and not callable(getattr(cls, "audit_patient", None)):
            raise ImproperlyConfigured(f"{cls.__name__} must define audit_patient(obj).")

    def _audit(self, request: HttpRequest, obj: Any, action: str, summary: str) -> None:
        audit_record(
            actor=request.user,
            patient=self.audit_patient(obj),
            action=action,
            obj=obj,
            summary=summary,
            request=request,
        )

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        if request.method == "GET" and response.status_code == 200:
            audit_record(
                actor=request.user,
                patient=None,
                action=AuditEvent.Action.VIEW,
                summary=f"Opened the list of {self.opts.verbose_name_plural} in the admin",
                request=request,
            )
        return response

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Any = None,
    ) -> HttpResponse:
        if obj is not None and request.method == "GET":
            self._audit(request, obj, AuditEvent.Action.VIEW, "Opened in the admin")
        return super().render_change_form(  # type: ignore[misc]
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )


class AuditedPatientAdminMixin(AuditedViewsAdminMixin):
    """For admins of patient data: openings, additions, changes and deletions are audited."""

    def _audit(self, request: HttpRequest, obj: Any, action: str, summary: str) -> None:
        if self.audit_patient(obj) is not None:
            super()._audit(request, obj, action, summary)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if change:
            fields = ", ".join(form.changed_data) or "nothing"
            self._audit(request, obj, AuditEvent.Action.UPDATE, f"Changed in the admin: {fields}")
        else:
            self._audit(request, obj, AuditEvent.Action.CREATE, "Added in the admin")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, obj, AuditEvent.Action.DELETE, "Deleted in the admin")
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit(request, obj, AuditEvent.Action.DELETE, "Deleted in the admin")
        super().delete_queryset(request, queryset)  # type: ignore[misc]


@admin.register(AuditEvent)
class AuditEventAdmin(OwnerOnlyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit log, for the practice owner's eyes only, and never editable."""

    list_display = ["created_at", "actor_email", "action", "patient_email", "summary", "ip"]
    list_filter = ["action", "created_at", ("actor", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["patient_email", "actor_email"]
    fields = readonly_fields = (
        "created_at",
        "actor_email",
        "action",
        "patient_email",
        "object_type",
        "object_id",
        "summary",
        "ip",
        "user_agent",
        "path",
    )
