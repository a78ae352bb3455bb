"""Emails are rendered from ``templates/emails/<name>.subject.txt``, ``.txt`` and ``.html``."""

import re
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import get_template

from practice.core.selectors import practice_profile


def render_email(*, template: str, context: Mapping[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML of ``templates/emails/<template>``; text is not HTML-escaped."""
    full = {**context, "practice": practice_profile(), "site_url": settings.SITE_URL}
    engine = Engine.get_default()

    def plain(name: str) -> str:
        return engine.get_template(name).render(Context(full, autoescape=False))

    subject = " ".join(plain(f"emails/{template}.subject.txt").split())
    text = _tidy(plain(f"emails/{template}.txt"))
    try:
        html_template = get_template(f"emails/{template}.html")
    except TemplateDoesNotExist:
        return subject, text, ""
    return subject, text, html_template.render(full)


def _tidy(text: str) -> str:
    """Drop the blank lines and trailing spaces that template tags leave behind."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
