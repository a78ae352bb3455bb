"""Absolute links to a subscriber's pages, and the RFC 8058 headers of every list email.

Used by the welcome email here and by campaign emails (nl-campaigns): every list email
carries ``list_unsubscribe_headers(subscriber)`` and shows ``unsubscribe_url`` and
``preferences_url`` in its body.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from newsletter.models import Subscriber
from newsletter.tokens import Purpose, token_make


def _path(name: str, purpose: Purpose, subscriber: Subscriber) -> str:
    token = token_make(purpose=purpose, subscriber_id=subscriber.pk, address=subscriber.email)
    return reverse(name, kwargs={"token": token})


def _absolute(name: str, purpose: Purpose, subscriber: Subscriber) -> str:
    return f"{settings.SITE_URL}{_path(name, purpose, subscriber)}"


def unsubscribe_url(subscriber: Subscriber) -> str:
    """The one-click URL: GET shows a button, POST unsubscribes (RFC 8058). No expiry."""
    return _absolute("newsletter:unsubscribe", "unsubscribe", subscriber)


def preferences_url(subscriber: Subscriber) -> str:
    """The signed link to her preferences page (segments, pause, resubscribe). No expiry."""
    return _absolute("newsletter:preferences_open", "preferences", subscriber)


def confirm_url(subscriber: Subscriber) -> str:
    """The double opt-in link; valid for ``conf.CONFIRM_VALID`` (7 days)."""
    return _absolute("newsletter:confirm", "confirm", subscriber)


def download_url(subscriber: Subscriber) -> str:
    """Her own link to the guide PDF; valid for ``conf.DOWNLOAD_VALID`` (30 days)."""
    return _absolute("newsletter:download", "download", subscriber)


def download_path(subscriber: Subscriber) -> str:
    """``download_url`` without the site's address, for links on the site's own pages."""
    return _path("newsletter:download", "download", subscriber)


def list_unsubscribe_headers(subscriber: Subscriber) -> dict[str, str]:
    """``List-Unsubscribe`` and ``List-Unsubscribe-Post`` (RFC 2369, RFC 8058) for one email.

    Mail programs show an "Unsubscribe" button that POSTs ``List-Unsubscribe=One-Click`` to
    the URL, with no cookie and no page in between; ``newsletter.views.unsubscribe`` answers.
    """
    return unsubscribe_headers(unsubscribe_url(subscriber))


def unsubscribe_headers(url: str) -> dict[str, str]:
    """``list_unsubscribe_headers`` for her unsubscribe URL, already made."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


#: Stands for the token while a URL is reversed once; only URL-safe characters, like a token.
_TOKEN_SLOT = "token-slot-5e0c"  # noqa: S105 (a placeholder, not a secret)


@dataclass
class ListLinks:
    """``unsubscribe_url`` and ``preferences_url`` for many subscribers (a campaign batch),
    each URL reversed once: the same strings, since a token's characters (URL-safe base64
    and ``:``) are left as they are by ``reverse``."""

    _templates: dict[str, str] = field(default_factory=dict)

    def unsubscribe_url(self, subscriber: Subscriber) -> str:
        return self._absolute("newsletter:unsubscribe", "unsubscribe", subscriber)

    def preferences_url(self, subscriber: Subscriber) -> str:
        return self._absolute("newsletter:preferences_open", "preferences", subscriber)

    def _absolute(self, name: str, purpose: Purpose, subscriber: Subscriber) -> str:
        if name not in self._templates:
            path = reverse(name, kwargs={"token": _TOKEN_SLOT})
            self._templates[name] = f"{settings.SITE_URL}{path}"
        token = token_make(purpose=purpose, subscriber_id=subscriber.pk, address=subscriber.email)
        return self._templates[name].replace(_TOKEN_SLOT, token)
