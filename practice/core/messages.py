"""Django's message storage, keeping one copy of each notice waiting to be shown."""

from typing import Any

from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.fallback import FallbackStorage


class UniqueMessageStorage(FallbackStorage):
    """Cookie-then-session storage that ignores a notice already waiting to be shown.

    Django queues every ``messages.add`` until a page shows them, so a notice added by each of
    several requests before that page (two tabs, a double click, a redirect chain through two
    protected pages) would show several times over.
    """

    _queued_messages: list[Message]  # BaseStorage's, missing from django-stubs

    def add(self, level: int, message: Any, extra_tags: str | None = "") -> None:
        candidate = Message(int(level), message, extra_tags=extra_tags)
        # Once this request has shown the stored notices, only those added since still wait.
        waiting = candidate in self._queued_messages if self.used else candidate in self
        if not waiting:
            super().add(level, message, extra_tags)
