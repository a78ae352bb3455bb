import re
from urllib.parse import urlsplit

from practice.outbox.models import OutboxMessage


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
