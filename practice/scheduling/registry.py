"""Job handlers by kind. Apps register theirs in a ``jobs.py`` module, found at startup.

A handler takes the job's payload as keyword-only arguments and first checks that its work
is still relevant (a late run must not remind anyone of a consult that has started)::

    @job_handler("consults.reminder")
    def reminder_send(*, booking_id: int, offset: str) -> None: ...
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

#: Called as ``handler(**job.payload)``; payload values are JSON types.
Handler = Callable[..., None]

_handlers: dict[str, Handler] = {}


class UnknownJobKind(LookupError):
    pass


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        existing = _handlers.get(kind)
        if existing is not None and _name(existing) != _name(handler):
            raise ImproperlyConfigured(
                f"Job kind {kind!r} has two handlers: {_name(existing)} and {_name(handler)}."
            )
        _handlers[kind] = handler
        return handler

    return register


def handler_for(kind: str) -> Handler:
    try:
        return _handlers[kind]
    except KeyError:
        raise UnknownJobKind(f"No handler is registered for job kind {kind!r}.") from None


def _name(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"
