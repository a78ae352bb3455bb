import re
import threading
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit

from django.db import connections
from django.test import Client

from practice.outbox.models import OutboxMessage

T = TypeVar("T")


def outbox_for(email: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(to=email).order_by("created_at", "pk"))


def link_path(text: str, contains: str) -> str:
    """The path of the first link in an email body that contains ``contains``."""
    for url in re.findall(r"https?://\S+", text):
        if contains in url:
            return urlsplit(url).path
    raise AssertionError(f"no link with {contains!r} in:\n{text}")


def page_text(content: bytes, *replace: str) -> str:
    """A page without its per-session CSRF tokens, with the given strings blanked out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", content.decode())
    for value in replace:
        html = html.replace(value, "…")
    return html


def at_the_same_time(*calls: Callable[[], T]) -> list[T]:
    """Run each call in its own thread (so its own database connection), all released at once."""
    barrier = threading.Barrier(len(calls))
    results: dict[int, T] = {}
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as exc:  # re-raised in the test's own thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return [results[index] for index in range(len(calls))]


def client_like(client: Client) -> Client:
    """Another browser tab of the same visitor: same session, and 500s come back as pages."""
    tab = Client(raise_request_exception=False)
    for name, morsel in client.cookies.items():
        tab.cookies[name] = morsel.value
    return tab
