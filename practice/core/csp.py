"""django-csp's middleware, building a response's policy once per process when it can.

django-csp builds the Content-Security-Policy header from the settings on every response:
about a tenth of the server's CPU for a small JSON answer. A response whose request used no
nonce and whose view set no policy of its own (``csp.decorators``) gets the same header every
time, so that one is built once per process (and again when the settings change, e.g. in
tests). Anything else (a nonce, a per-view policy, an exemption, an excluded prefix, a header
already set, DEBUG's error pages) takes django-csp's own path, unchanged.
"""

from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

#: Response attributes through which a view changes or drops its policy (csp.decorators).
PER_VIEW_ATTRIBUTES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
SETTINGS = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY", "DEBUG")

#: (policy, report-only policy) as django-csp builds them from the settings alone.
_built: tuple[str, str] | None = None


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not _settings_alone(request, response):
            return super().process_response(request, response)
        policy, report_only = _policies()
        if policy:
            response[HEADER] = policy
        if report_only:
            response[HEADER_REPORT_ONLY] = report_only
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


def _settings_alone(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether django-csp would build this response's headers from the settings alone."""
    if getattr(request, "_csp_nonce", None) is not None or settings.DEBUG:
        return False
    if any(getattr(response, name, None) is not None for name in PER_VIEW_ATTRIBUTES):
        return False
    if HEADER in response or HEADER_REPORT_ONLY in response:
        return False
    return not any(
        (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") for name in SETTINGS[:2]
    )


def _policies() -> tuple[str, str]:
    global _built
    if _built is None:
        _built = (build_policy(), build_policy(report_only=True))
    return _built


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    global _built
    if setting in SETTINGS:
        _built = None
