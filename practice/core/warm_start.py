"""Import every page's code when a web process starts, so its first visitor does not wait.

Django imports the URLconf, and with it every view module and what they import (DRF,
drf-spectacular, psycopg, allauth's WebAuthn...), on the first request a process serves:
about 5 s on the development machine, longer under load. gunicorn starts its workers
without ``--preload``, so after every deploy or restart each worker's first visitor paid it.
"""

from django.urls import get_resolver


def urlconf_preload() -> None:
    """Import ``ROOT_URLCONF`` and every module it includes (idempotent, cheap once done)."""
    get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf
