"""The inner loop's fast path: `-m "not e2e and not slow"` leaves out browser and slow tests."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def collected(*args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_the_fast_path_leaves_out_browser_and_slow_tests() -> None:
    everything = collected("tests")
    fast = collected("-m", "not e2e and not slow", "tests")

    assert any(test.startswith("tests/site/") for test in fast)
    for left_out in (
        "tests/e2e/",
        "tests/site/test_admin_width.py",  # a browser test outside tests/e2e/
        "tests/practice/test_embedded_stack.py",
        "tests/celery/test_worker.py::test_beat_runs_due_jobs",
        "tests/outbox/test_delivery.py::test_worker_delivers",
        # Workers started by helpers (running_worker, worker_process), not by fixtures:
        "tests/outbox/test_sweep.py::test_the_sweep_delivers_an_email_whose_task_was_lost",
        "tests/outbox/test_delivery_guarantee.py::test_a_worker_killed_once",
    ):
        assert any(test.startswith(left_out) for test in everything), left_out
        assert not [test for test in fast if test.startswith(left_out)], left_out
