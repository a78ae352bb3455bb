"""A form sent in a way our pages never send it gets the site's 400 page, never a 500.

Our pages are UTF-8, and browsers send a form back in its page's encoding (HTML Standard,
"constructing the entry list"), so a body in another charset, or one that is not valid UTF-8,
did not come from our forms: it is refused rather than read as mojibake or crashing on it.
The CSRF check is on, as in a real browser, with a valid token in the header.
"""

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from tests.fixtures.accounts import user_create

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=xyz"


MULTIPART_BODY = b'--xyz\r\nContent-Disposition: form-data; name="login"\r\n\r\nann\r\n--xyz--\r\n'

BAD_BODIES = {
    "utf-16 form": (f"{FORM}; charset=utf-16", "login=a@b.example&password=x".encode("utf-16")),
    "unknown charset": (f"{FORM}; charset=no-such-charset", b"login=a%40b.example&password=x"),
    "bytes codec as charset": (f"{FORM}; charset=rot13", b"login=a%40b.example&password=x"),
    "latin-1 bytes": (FORM, "login=ren\xe9e%40b.example&password=x".encode("latin-1")),
    "escaped invalid utf-8": (FORM, b"login=ren%E9e%40b.example&password=x"),
    "multipart in a bytes codec": (f"{MULTIPART}; charset=rot13", MULTIPART_BODY),
    "multipart in utf-16": (f"{MULTIPART}; charset=utf-16", MULTIPART_BODY),
    "too many fields": (FORM, "&".join(f"f{n}=1" for n in range(1001)).encode()),
    "too large": (FORM, b"login=" + b"a" * 3_000_000),
}


def browser_on(path: str) -> Client:
    """A visitor who opened the form page, so she holds the CSRF cookie."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    assert client.get(path).status_code == 200
    return client


def post(client: Client, path: str, content_type: str, body: bytes):
    token = client.cookies["csrftoken"].value
    return client.generic(
        "POST", path, body, content_type=content_type, headers={"x-csrftoken": token}
    )


@pytest.mark.parametrize("path", ["account_login", "account_signup"])
@pytest.mark.parametrize(("content_type", "body"), BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_a_form_sent_in_another_encoding_gets_the_400_page(
    path: str, content_type: str, body: bytes
) -> None:
    url = reverse(path)
    response = post(browser_on(url), url, content_type, body)

    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>We could not read what was sent</h1>" in html
    assert 'class="skip-link"' in html, "the site's own page, with its header"
    assert "Content-Security-Policy" in response


def test_a_utf8_form_that_says_so_still_works() -> None:
    user = user_create(email="renee@example.com", password="Crème-brûlée-at-42")
    url = reverse("account_login")
    body = urlencode({"login": user.email, "password": "Crème-brûlée-at-42"}).encode()

    response = post(browser_on(url), url, f"{FORM}; charset=UTF-8", body)

    assert response.status_code == 302
    assert response.wsgi_request.user == user
