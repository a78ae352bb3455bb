"""`make lint` fails when a module imports against the floors (import-linter contracts)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ["practice", "education", "exercises", "newsletter", "consults"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_copy(tmp_path: Path, extra: dict[str, str]) -> subprocess.CompletedProcess[str]:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for path, source in extra.items():
        (tmp_path / path).write_text(source)
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_project_keeps_its_contracts(tmp_path: Path) -> None:
    result = _lint_copy(tmp_path, {})
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("path", "source", "broken"),
    [
        ("practice/core/loop.py", "from practice.accounts import models\n", "floors"),
        ("practice/outbox/loop.py", "from practice.scheduling import models\n", "floors"),
        ("practice/site/domain.py", "import education.views\n", "never imports a domain app"),
        ("consults/peek.py", "from exercises import views\n", "independent"),
        ("education/peek.py", "from exercises import views\n", "independent"),
    ],
)
def test_a_forbidden_import_fails_the_lint(
    tmp_path: Path, path: str, source: str, broken: str
) -> None:
    result = _lint_copy(tmp_path, {path: source})
    assert result.returncode != 0
    assert f"{broken}" in result.stdout
    assert "BROKEN" in result.stdout
