from django.apps import AppConfig


class SiteConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "practice.site"
    label = "practice_site"
    verbose_name = "Practice site"

    def ready(self) -> None:
        from practice.site import receivers  # noqa: F401  (connects them)
