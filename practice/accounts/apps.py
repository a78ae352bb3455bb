from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "practice.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from practice.accounts import receivers  # noqa: F401  (connects them)
