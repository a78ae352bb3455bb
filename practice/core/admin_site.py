"""The admin as the practice's own: its name in the header, one section for accounts, and
every registered admin answering only safe URL lookups."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from practice.core.admin_mixins import SafeLookupsMixin

#: Apps whose models staff think of as "accounts": people, their sign-in and their API keys.
ACCOUNT_APP_LABELS = ("accounts", "account", "auth", "mfa", "authtoken")
ACCOUNTS_LABEL = "accounts"


class PracticeAdminSite(admin.AdminSite):
    """The practice's name in the header, one section for accounts, only safe URL lookups."""

    index_title = "Manage the site"
    #: The side list of every model took a quarter of a 1280-pixel screen from the lists; the
    #: home page and the breadcrumbs lead to every model.
    enable_nav_sidebar = False

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        """The practice profile's name, read per request as staff may rename the practice."""
        from practice.core.selectors import practice_profile  # models load after the admin app

        context = super().each_context(request)
        name = practice_profile().name
        zone = timezone.get_current_timezone_name().replace("_", " ")
        context.update(site_header=name, site_title=name, time_zone_label=zone)
        return context

    def get_app_list(
        self, request: HttpRequest, app_label: str | None = None
    ) -> list[dict[str, Any]]:
        """Django's list, with the account apps' models merged into one "Accounts" section."""
        merging = app_label in ACCOUNT_APP_LABELS
        apps = super().get_app_list(request, None if merging else app_label)
        accounts = [app for app in apps if app["app_label"] in ACCOUNT_APP_LABELS]
        if not accounts:
            return apps
        section = next((app for app in accounts if app["app_label"] == ACCOUNTS_LABEL), None)
        if section is None:  # staff who may see e.g. groups but no account model of ours
            section = {**accounts[0], "name": "Accounts"}
        section["models"] = sorted(
            (model for app in accounts for model in app["models"]), key=lambda m: m["name"]
        )
        if merging:
            return [section]
        others = [app for app in apps if app["app_label"] not in ACCOUNT_APP_LABELS]
        return sorted([*others, section], key=lambda app: app["name"].lower())

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
