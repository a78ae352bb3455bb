"""The Celery app: ``celery -A practice worker`` and ``celery -A practice beat``."""

import os
from pathlib import Path

from celery import Celery

from practice.core import celery_filesystem

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "practice.settings")

app = Celery("practice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()  # each installed app's tasks.py

if app.conf.broker_url == f"{celery_filesystem.SCHEME}://":
    # The embedded broker (no REDIS_URL) keeps messages in folders it does not create itself.
    for folder in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        Path(app.conf.broker_transport_options[folder]).mkdir(parents=True, exist_ok=True)
