"""The production settings with the bench URLs: the site plus a trivial view (bench/urls.py).

bench/run.py starts gunicorn with these and DEBUG off, TESTING unset and collected static
files, so the pages are measured as production serves them.
"""

from practice.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
