"""The one-URL URLconf of the bare baseline (see bench/wsgi.py): the trivial view, nothing else."""

from django.urls import path

from bench.views import trivial

BARE_PATH = "/bench/bare/"

urlpatterns = [path(BARE_PATH.lstrip("/"), trivial)]
