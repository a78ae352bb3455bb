"""``{% include_constant "name.html" key=value ... %}``: a fragment rendered once per process.

For a fragment that is the same for every visitor and every request, such as the footer's
newsletter sign-up form (no CSRF token, no user, no path). It is rendered from only the
given constant arguments, without the request or the page's context, so it cannot pick up
anything personal by accident; its HTML is kept per template, arguments, script prefix
(SCRIPT_NAME) and URLconf, like ``{% url %}`` (practice/core/url_tag.py). With ``DEBUG`` on
it renders every time, so edited templates show at once.
"""

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.template import Library
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString

register = Library()

#: (template, arguments, script prefix, URLconf) -> HTML.
_rendered: dict[tuple[str, tuple[tuple[str, str], ...], str, str], SafeString] = {}


@register.simple_tag
def include_constant(template_name: str, **arguments: str) -> SafeString:
    """The HTML of ``template_name`` rendered with only ``arguments`` (strings); the
    template's own autoescaping makes it safe, as ``{% include %}`` would."""
    if settings.DEBUG:
        return SafeString(render_to_string(template_name, arguments))
    urlconf = str(get_urlconf() or settings.ROOT_URLCONF)
    key = (template_name, tuple(sorted(arguments.items())), get_script_prefix(), urlconf)
    html = _rendered.get(key)
    if html is None:
        html = _rendered[key] = SafeString(render_to_string(template_name, arguments))
    return html


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME", "TEMPLATES", "DEBUG"}:
        _rendered.clear()


setting_changed.connect(_forget, dispatch_uid="core.constant_include.forget")
