"""A fresh web process imports every page's code when it starts, not on its first visitor's
request (about 5 s of imports on this machine: DRF, psycopg, allauth, WebAuthn...)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOADED = (
    "import sys; import practice.{module}; print(sorted(m for m in {probe} if m in sys.modules))"
)
PROBE = ("consults.views", "consults.manage_views", "drf_spectacular.views")


@pytest.mark.parametrize("module", ["wsgi", "asgi"])
def test_the_web_application_is_ready_before_its_first_request(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", LOADED.format(module=module, probe=PROBE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )

    assert result.stdout.strip() == str(sorted(PROBE))
