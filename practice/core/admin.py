from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from practice.core.models import PracticeProfile, Redirect
from practice.core.selectors import practice_profile


@admin.register(PracticeProfile)
class PracticeProfileAdmin(admin.ModelAdmin):
    """One row only: the list page goes straight to it, and it can be neither added nor deleted."""

    fieldsets = [
        (None, {"fields": ["name", "tagline"]}),
        ("How patients reach you", {"fields": ["phone", "email", "address", "hours"]}),
        ("Time", {"fields": ["time_zone"]}),
    ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        profile = practice_profile()
        return HttpResponseRedirect(reverse("admin:core_practiceprofile_change", args=[profile.pk]))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    """Old addresses (an imported blog's posts) and where they lead now."""

    list_display = ["old_path", "new_path", "note", "created_at"]
    search_fields = ["old_path", "new_path"]
