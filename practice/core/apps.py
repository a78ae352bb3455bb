from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.urls import register_converter


class CoreConfig(AppConfig):
    """The ground floor: what every other part of the project may rely on."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "practice.core"
    label = "core"
    verbose_name = "Practice"

    def ready(self) -> None:
        from practice.core import receivers  # noqa: F401  (connects them)
        from practice.core.converters import DatabaseIdConverter
        from practice.core.csrf_strings import install as install_csrf_strings

        register_converter(DatabaseIdConverter, "db_id")
        install_csrf_strings()


class PracticeAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the project's admin site as ``admin.site``."""

    default = False  # named in INSTALLED_APPS; CoreConfig stays this module's default

    default_site = "practice.core.admin_site.PracticeAdminSite"
