"""In development (DEBUG on, as `make run` runs), a form in another charset gets a 400, not a 500.

Found with curl against `make run`: `POST /accounts/signup/` with
`Content-Type: application/x-www-form-urlencoded; charset=latin-1` answers 500 "A server error
occurred". RequestBodyMiddleware raises BadRequest as intended, but with DEBUG on Django
answers BadRequest with its technical page, which reads request.POST to list the form and
raises the same BadRequest again. tests/site/test_bad_requests.py only runs with DEBUG off.
"""

import pytest
from django.core.exceptions import BadRequest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize("charset", ["latin-1", "utf-16", "rot13"])
@pytest.mark.parametrize("path", ["account_login", "account_signup"])
def test_a_form_in_another_charset_is_a_400_in_development_too(
    settings, charset: str, path: str
) -> None:
    settings.DEBUG = True
    client = Client(raise_request_exception=False)
    url = reverse(path)

    body = b"login=ren%C3%A9e%40b.example&password=x"

    try:
        response = client.generic("POST", url, body, content_type=f"{FORM}; charset={charset}")
    except BadRequest as exc:
        # The exception escapes every handler: the development server answers 500.
        pytest.fail(f"500: Django's debug page re-read the form and raised {exc!r}")

    assert response.status_code == 400
