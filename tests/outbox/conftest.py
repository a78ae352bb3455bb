from pathlib import Path
from typing import Any

import pytest

TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _test_email_templates(settings: Any) -> None:
    """Email templates made for these tests, beside the project's own."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], TEMPLATES]}]
