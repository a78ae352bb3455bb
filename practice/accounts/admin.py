from typing import Any

from allauth.account import admin as allauth_admin
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from rest_framework.authtoken.admin import TokenAdmin as DRFTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from practice.accounts import selectors, services
from practice.accounts.models import (
    EMAIL_TAKEN,
    ApiKey,
    PatientInvite,
    PatientProfile,
    TherapistProfile,
    User,
    email_normalize,
)
from practice.audit.admin import AuditedPatientAdminMixin
from practice.audit.models import AuditEvent
from practice.core.admin_mixins import ReadOnlyAdminMixin


class EmailCheckMixin:
    """The address is normalised and refused if another account owns it (selectors docstring)."""

    cleaned_data: dict[str, Any]
    instance: User

    def clean_email(self) -> str:
        email = email_normalize(self.cleaned_data["email"])
        exclude = self.instance if self.instance.pk else None
        if selectors.email_owner_get(email=email, exclude=exclude) is not None:
            raise ValidationError(EMAIL_TAKEN, code="email_taken")
        return email


class UserCreationForm(EmailCheckMixin, auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role")


class UserChangeForm(EmailCheckMixin, auth_forms.UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


def _may_manage(request: HttpRequest, obj: User | None) -> bool:
    """Only the owner changes or deletes staff accounts, hers and her own included.

    Staff she trusts with editing accounts (the "change user" permission) edit patients'
    accounts. On a staff account, its address or its password (the admin's password page
    checks this too) would let them sign in as that therapist, or as the owner herself.
    """
    return obj is None or request.user.is_superuser or (obj.is_patient and not obj.is_superuser)


@admin.register(User)
class UserAdmin(AuditedPatientAdminMixin, DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "role")}),
        (
            "Access",
            {
                "fields": ("is_active", "is_superuser", "groups", "user_permissions"),
                "description": "Therapists are staff; the practice owner is the superuser.",
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "role",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_display = ("email", "full_name", "role", "is_superuser", "is_active", "last_login")
    list_filter = ("role", "is_superuser", "is_active")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        """Only the owner hands out roles and permissions."""
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["role", "is_superuser", "groups", "user_permissions"]
        return fields

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_change_permission(request, obj) and _may_manage(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_delete_permission(request, obj) and _may_manage(request, obj)

    def audit_patient(self, obj: User) -> User | None:
        return obj if obj.is_patient else None

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """The address goes through ``user_email_change``, so allauth's addresses stay in step."""
        if not change:
            services.signups_unfinished_remove(email=obj.email)
        elif "email" in form.changed_data:
            self._email_change(request, obj)
        super().save_model(request, obj, form, change)
        if not change:
            self._email_change(request, obj)

    @staticmethod
    def _email_change(request: HttpRequest, obj: User) -> None:
        actor = request.user if isinstance(request.user, User) else None
        services.user_email_change(user=obj, email=obj.email, actor=actor, request=request)

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            self._audit(
                request,
                self.get_object(request, id),
                AuditEvent.Action.UPDATE,
                "Set her password in the admin",
            )
        return response


@admin.register(TherapistProfile)
class TherapistProfileAdmin(admin.ModelAdmin):
    list_display = ("display_name", "credentials", "user", "is_listed", "sort_order")
    list_editable = ("is_listed", "sort_order")
    search_fields = ("display_name", "user__email")
    prepopulated_fields = {"slug": ("display_name",)}
    autocomplete_fields = ("user",)


@admin.register(PatientProfile)
class PatientProfileAdmin(AuditedPatientAdminMixin, admin.ModelAdmin):
    list_display = ("user", "therapist", "time_zone")
    list_filter = ("therapist",)
    search_fields = ("user__email", "user__full_name")
    list_select_related = ("user", "therapist")
    autocomplete_fields = ("user",)

    def audit_patient(self, obj: PatientProfile) -> User | None:
        return obj.user


@admin.register(PatientInvite)
class PatientInviteAdmin(AuditedPatientAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Invites are sent from the therapist's "My patients" page; here they can only be read."""

    list_display = ("patient", "invited_by", "created_at", "expires_at", "accepted_at")
    list_select_related = ("patient", "invited_by")
    search_fields = ("patient__email",)
    fields = ("patient", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at")
    readonly_fields = fields

    def audit_patient(self, obj: PatientInvite) -> User | None:
        return obj.patient


admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(AuditedPatientAdminMixin, admin.ModelAdmin):
    """Who has which two-step sign-in method, never its secret (allauth's admin showed and
    edited the TOTP seed). Deleting one lets its owner set it up again after losing her phone."""

    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    list_select_related = ("user",)
    search_fields = ("user__email",)
    fields = readonly_fields = ("user", "type", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def audit_patient(self, obj: Authenticator) -> User | None:
        return obj.user


admin.site.unregister(TokenProxy)


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedPatientAdminMixin, DRFTokenAdmin):
    """Patients' API keys: made here, shown once when made, never listed (a key signs in)."""

    list_display = ("user", "created")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            f"Her API key is {obj.key}. Give it to her now: it is not shown again.",
            messages.SUCCESS,
        )

    def audit_patient(self, obj: ApiKey) -> User | None:
        return obj.user


class EmailAddressForm(forms.ModelForm):
    """An address added, or confirmed, here is refused if another account owns it.

    Without this, an address another account signs in with but has not confirmed yet (every
    invited patient until she accepts) could be given, confirmed, to a second account, and her
    invite would then fail.
    """

    class Meta:
        model = EmailAddress
        fields = ("user", "email", "verified")

    def clean_email(self) -> str:
        return email_normalize(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        email = cleaned.get("email", self.instance.email)
        checked = self.instance._state.adding or cleaned.get("verified")
        if user and email and checked and selectors.email_owner_get(email=email, exclude=user):
            field = "email" if "email" in self.fields else None
            self.add_error(field, ValidationError(EMAIL_TAKEN, code="email_taken"))
        return cleaned


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class EmailAddressAdmin(AuditedPatientAdminMixin, allauth_admin.EmailAddressAdmin):
    """allauth's "Email addresses", held to one account per address like every other route.

    Once saved, an address keeps its account and spelling (remove it and add another), and
    which one is her main address follows the address she signs in with, which is changed in
    the user admin (``services.user_email_change``), so the two never disagree.
    """

    form = EmailAddressForm

    def audit_patient(self, obj: EmailAddress) -> User | None:
        return obj.user

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("user", "email", "primary") if obj else ("primary",)

    def save_model(self, request: HttpRequest, obj: EmailAddress, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if obj.verified:
            services.email_claims_release(email=obj.email, owner=obj.user)

    @admin.action(description="Mark the selected addresses as confirmed")
    def make_verified(self, request: HttpRequest, queryset: QuerySet[EmailAddress]) -> None:
        """allauth's action, through ``email_address_confirm`` (it checks who owns each one)."""
        for address in queryset.filter(verified=False).select_related("user"):
            try:
                services.email_address_confirm(address=address)
            except ValidationError as exc:
                self.message_user(
                    request, f"{address.email}: {' '.join(exc.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, f"{address.email} is now confirmed.", messages.SUCCESS)
