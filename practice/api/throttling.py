"""DRF's throttles, counting anonymous requests per client address.

DRF's own ``get_ident`` trusts the whole X-Forwarded-For header when ``NUM_PROXIES`` is
unset, so a client writing a new header each time escapes the limit. These use the site's
one notion of the client address (practice/core/client_address.py) instead.
"""

from rest_framework import throttling
from rest_framework.request import Request

from practice.core.client_address import client_address


class ClientAddressMixin:
    def get_ident(self, request: Request) -> str:
        # Requests without a usable address share one bucket.
        return client_address(request._request) or ""


class AnonRateThrottle(ClientAddressMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientAddressMixin, throttling.UserRateThrottle):
    pass
