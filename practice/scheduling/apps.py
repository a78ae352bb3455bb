from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SchedulingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "practice.scheduling"
    label = "scheduling"
    verbose_name = "Scheduled jobs"

    def ready(self) -> None:
        autodiscover_modules("jobs")
