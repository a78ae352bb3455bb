"""The admin as the practice's own: its name in the header, one section for accounts."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils import timezone

#: Apps whose models staff think of as "accounts": people, their sign-in and their API keys.
ACCOUNT_APP_LABELS = ("accounts", "account", "auth", "mfa", "authtoken")
ACCOUNTS_LABEL = "accounts"


class PracticeAdminSite(admin.AdminSite):
    index_title = "Manage the site"
    #: The side list of every model took a quarter of a 1280-pixel screen from the lists; the
    #: home page and the breadcrumbs lead to every model.
    enable_nav_sidebar = False

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        """The practice profile's name, read per request as staff may rename the practice."""
        from practice.site.selectors import practice_profile  # models load after the admin app

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


class PracticeAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the practice's admin site as ``admin.site``."""

    default_site = "practice.core.admin_site.PracticeAdminSite"
