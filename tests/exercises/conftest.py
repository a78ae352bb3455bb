"""The built-in precaution flags and conditions, present in every database test.

Migration 0002 makes them, but a transactional test (the browser tests) empties every table
when it ends, so a later test in the same run would find none. Restored here the way the
migration makes them (idempotent).
"""

from importlib import import_module

import pytest
from django.apps import apps

defaults = import_module("exercises.migrations.0002_precaution_defaults")


@pytest.fixture(autouse=True)
def _precaution_defaults(request: pytest.FixtureRequest) -> None:
    requested = [n for n in ("transactional_db", "db") if n in request.fixturenames]
    if requested:
        request.getfixturevalue(requested[0])  # autouse fixtures run before requested ones
    elif request.node.get_closest_marker("django_db") is None:
        return
    defaults.defaults_create(apps, None)
