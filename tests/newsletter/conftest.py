"""The sign-up's Celery tasks run in the test's own process and transaction here (eager), so a
test sees their rows at once; the journey in tests/e2e runs them on a real worker instead.
A test marked ``queued_tasks`` leaves them queued in Redis, to time the request alone."""

from collections.abc import Iterator

import pytest

from practice.celery import app


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "queued_tasks: leave Celery tasks queued (not eager)")


@pytest.fixture(autouse=True)
def _eager_tasks(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("queued_tasks"):
        yield
        return
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False
        app.conf.task_eager_propagates = False
