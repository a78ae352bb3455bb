"""The project's admin site: every registered admin answers only safe URL lookups."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from practice.core.admin_mixins import SafeLookupsMixin


class PracticeAdminSite(admin.AdminSite):
    def register(
        self,
        model_or_iterable: Any,
        admin_class: type[admin.ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        """Register as usual, with ``SafeLookupsMixin`` mixed into every admin class.

        Applied here rather than in each admin so third-party admins (allauth's addresses,
        Django's groups, DRF's tokens) are covered too.
        """
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeLookupsMixin):
            admin_class = type(admin_class.__name__, (SafeLookupsMixin, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)
