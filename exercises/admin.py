"""Staff CRUD for the library (exercises, pictures, flags, conditions, templates) and a
read-only, owner-only, audited view of prescriptions. Therapists prescribe and revise on
their own pages (``programs:``), which keep the revision history and acknowledgements."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from exercises.forms import ExerciseForm
from exercises.models import (
    Condition,
    ConditionPrecaution,
    Exercise,
    ExerciseImage,
    PatientCondition,
    PrecautionAcknowledgement,
    PrecautionFlag,
    Program,
    ProgramItem,
    ProgramRevision,
    ProgramTemplate,
    TemplateItem,
)
from exercises.prescribing import template_duplicate
from exercises.services import exercise_duplicate
from practice.accounts.selectors import therapist_profile_get
from practice.audit.admin import AuditedPatientAdminMixin
from practice.core.admin_mixins import OwnerOnlyAdminMixin, ReadOnlyAdminMixin
from practice.core.page_cache import public_pages_changed


class ExerciseImageInline(admin.TabularInline):
    model = ExerciseImage
    extra = 0
    fields = ["image", "alt_text", "position"]


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    form = ExerciseForm
    list_display = ["name", "kind", "is_public", "updated_at"]
    list_filter = ["kind", "is_public"]
    search_fields = ["name", "slug"]
    inlines = [ExerciseImageInline]
    actions = ["duplicate"]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if form.instance.is_public or "is_public" in form.changed_data:
            public_pages_changed()

    def delete_model(self, request: HttpRequest, obj: Exercise) -> None:
        super().delete_model(request, obj)
        public_pages_changed()

    @admin.action(description="Duplicate the chosen exercises (as private copies)")
    def duplicate(self, request: HttpRequest, queryset: QuerySet[Exercise]) -> None:
        therapist = therapist_profile_get(user=request.user)  # type: ignore[arg-type]
        for exercise in queryset:
            exercise_duplicate(exercise=exercise, therapist=therapist)
        messages.success(request, f"Made {queryset.count()} private copies.")


@admin.register(PrecautionFlag)
class PrecautionFlagAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_builtin"]
    search_fields = ["name", "code"]


class ConditionPrecautionInline(admin.TabularInline):
    model = ConditionPrecaution
    extra = 0


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_builtin"]
    search_fields = ["name", "code"]
    inlines = [ConditionPrecautionInline]


class TemplateItemInline(admin.StackedInline):
    model = TemplateItem
    extra = 0
    autocomplete_fields = ["exercise"]


@admin.register(ProgramTemplate)
class ProgramTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "weeks", "owner", "updated_at"]
    search_fields = ["name"]
    inlines = [TemplateItemInline]
    actions = ["duplicate"]

    @admin.action(description="Duplicate the chosen templates")
    def duplicate(self, request: HttpRequest, queryset: QuerySet[ProgramTemplate]) -> None:
        therapist = therapist_profile_get(user=request.user)  # type: ignore[arg-type]
        if therapist is None:
            messages.error(request, "A therapist profile is needed to own the copies.")
            return
        for template in queryset:
            template_duplicate(template=template, owner=therapist)
        messages.success(request, f"Made {queryset.count()} copies.")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ProgramItemInline(ReadOnlyInline):
    model = ProgramItem
    fields = ["position", "exercise", "sets", "reps", "hold_seconds", "duration_seconds", "side"]


class ProgramRevisionInline(ReadOnlyInline):
    model = ProgramRevision
    fields = ["number", "created_at", "created_by", "summary"]


class AcknowledgementInline(ReadOnlyInline):
    model = PrecautionAcknowledgement
    fields = ["revision", "exercise", "flag", "condition", "reason", "acknowledged_by"]


@admin.register(Program)
class ProgramAdmin(
    OwnerOnlyAdminMixin, AuditedPatientAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    list_display = ["title", "patient", "therapist", "start_date", "end_date", "revision"]
    list_select_related = ["patient", "therapist"]
    inlines = [ProgramItemInline, ProgramRevisionInline, AcknowledgementInline]

    def audit_patient(self, obj: Program) -> Any:
        return obj.patient


@admin.register(PatientCondition)
class PatientConditionAdmin(
    OwnerOnlyAdminMixin, AuditedPatientAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin
):
    list_display = ["patient", "condition", "added_at"]
    list_select_related = ["patient", "condition"]

    def audit_patient(self, obj: PatientCondition) -> Any:
        return obj.patient
