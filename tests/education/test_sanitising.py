"""Nothing executable written into an article reaches a reader's browser."""

import pytest
from django.test import Client

from tests.education.helpers import article_make, html_of

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<svg onload="alert(1)"><circle r="5"/></svg>',
    '<object data="evil.swf"></object>',
    '<form action="https://evil.example"><input name="x"></form>',
    "![x](javascript:alert(1))",
    '<a href="&#106;avascript:alert(1)">entity</a>',
    "<details open ontoggle=alert(1)>x</details>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '[[article:x"><script>alert(1)</script>]]',
    "[[exercise:<img src=x onerror=alert(1)>]]",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_never_reaches_the_reader(therapist, payload):
    article = article_make(therapist, body=f"Before.\n\n{payload}\n\nAfter.")
    html = Client().get(article.get_absolute_url()).content.decode()
    body = html_of(html).select_one(".article__body")
    assert "Before." in body.get_text()  # an unclosed <style> may swallow the rest
    for tag in body.find_all(True):
        assert tag.name not in {"script", "iframe", "object", "embed", "form", "svg", "style"}
        for name, value in tag.attrs.items():
            assert not name.startswith("on"), tag
            assert name != "style", tag
            if name in {"href", "src"}:
                assert not str(value).strip().lower().startswith(("javascript:", "data:")), tag
    assert "alert(1)</script>" not in html.split('type="application/ld+json"')[0]


def test_embed_placeholders_cannot_be_forged(therapist):
    """The words that stand for embeds while rendering are random per render."""
    article = article_make(therapist, body="embed0000000000000000n0x and [[article:nowhere]]")
    body = html_of(Client().get(article.get_absolute_url()).content)
    assert "embed0000000000000000n0x" in body.select_one(".article__body").get_text()
