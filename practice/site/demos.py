"""Each installed app's ``demo.py``, found the way the admin finds ``admin.py``.

A ``demo.py`` has ``seed() -> None``, idempotent, which makes or refreshes the app's demo
data, and may have ``logins() -> list[str]``, lines telling a newcomer how to sign in
with it. Apps come in ``INSTALLED_APPS`` order (the core first, the domain apps last), so
an app's demo data may use the people and profile made before it.
"""

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def demo_modules() -> Iterator[ModuleType]:
    for app_config in apps.get_app_configs():
        if module_has_submodule(app_config.module, "demo"):
            yield import_module(f"{app_config.name}.demo")
