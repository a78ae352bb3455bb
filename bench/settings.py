"""The production settings with one extra URL: a trivial view to measure Django's own floor."""

from practice.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
