"""``{% url %}`` that reverses a name without arguments once per process (a template builtin).

Every page's header and footer name a dozen fixed addresses (home, articles, log in...);
Django reverses each on every render. A name without arguments always gives the same
address for a given URLconf, script prefix (SCRIPT_NAME) and current app, so its answer is
kept in this process. With arguments (``{% url 'education:detail' slug=... %}``) the tag is
Django's own. Registered in ``TEMPLATES["OPTIONS"]["builtins"]``, after Django's, so every
template uses it without ``{% load %}``.
"""

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.template import Context, Library
from django.template.base import Parser, Token
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = Library()

#: (name, current app, script prefix, URLconf) -> address, or None for "no such name".
_reversed: dict[tuple[str, str | None, str, str], str | None] = {}


class ConstantURLNode(URLNode):
    def render(self, context: Context) -> str:
        if self.args or self.kwargs:
            return str(super().render(context))
        view_name = str(self.view_name.resolve(context))
        current_app = _current_app(context)
        urlconf = str(get_urlconf() or settings.ROOT_URLCONF)
        key = (view_name, current_app, get_script_prefix(), urlconf)
        if key not in _reversed:
            try:
                _reversed[key] = reverse(view_name, current_app=current_app)
            except NoReverseMatch:
                if self.asvar is None:
                    raise
                _reversed[key] = None
        url = _reversed[key]
        if url is None:
            if self.asvar is None:
                reverse(view_name, current_app=current_app)  # raises NoReverseMatch
            url = ""
        if self.asvar:
            context[self.asvar] = url
            return ""
        return str(conditional_escape(url)) if context.autoescape else url


def _current_app(context: Context) -> str | None:
    request = getattr(context, "request", None)
    app = getattr(request, "current_app", None)
    if app is None:
        app = getattr(getattr(request, "resolver_match", None), "namespace", None)
    return app or None


@register.tag
def url(parser: Parser, token: Token) -> URLNode:
    node = django_url(parser, token)
    return ConstantURLNode(node.view_name, node.args, node.kwargs, node.asvar)


def _forget(*, setting: str, **kwargs: Any) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _reversed.clear()


setting_changed.connect(_forget, dispatch_uid="core.url_tag.forget")
