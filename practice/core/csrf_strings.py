"""Django's CSRF secrets and masks drawn with one call to the system's random source.

Django draws each 32-character CSRF string (a new secret, and the mask of every token a page
carries) with ``get_random_string``: one ``secrets.choice``, so one ``os.urandom`` call, per
character. CPython releases the GIL around each of those calls, and under gunicorn's threads
every release lets another thread in: up to 33 thread switches per page with a form. On the
therapist's patients list (one token per answer), two servers loaded in turn gave 297 → 386
req/s (3.14 → 2.41 ms of CPU per answer); a `make bench` run right after gave 0.14x, 3.07 ms,
against 0.15x, 3.18 ms before: this machine's noise is as large as the effect.

Here the same string (32 characters, each uniform over ``CSRF_ALLOWED_CHARS``) comes from one
draw of 256 random bits, read as a number and written in base 62: taking it modulo 62**32
(about 2**190.5) biases the result by less than 2**-65. Installed in place of Django's
``_get_new_csrf_string`` (``practice.core.apps``); ``tests/core/test_csrf_strings.py`` fails
if Django stops using that function.
"""

import secrets

from django.middleware import csrf

_ALPHABET = csrf.CSRF_ALLOWED_CHARS
_LENGTH = csrf.CSRF_SECRET_LENGTH


def csrf_string() -> str:
    """``CSRF_SECRET_LENGTH`` characters of ``CSRF_ALLOWED_CHARS``, uniformly at random."""
    number = int.from_bytes(secrets.token_bytes(32), "big")
    characters = []
    for _ in range(_LENGTH):
        number, digit = divmod(number, len(_ALPHABET))
        characters.append(_ALPHABET[digit])
    return "".join(characters)


def install() -> None:
    """Django's CSRF middleware draws its secrets and masks with ``csrf_string``."""
    csrf._get_new_csrf_string = csrf_string
