"""bench/wsgi.py: the bare baseline skips every middleware; every other path goes to the site."""

from wsgiref.util import setup_testing_defaults

import bench.wsgi
from bench.bare_urls import BARE_PATH


def call(path: str) -> tuple[str, dict[str, str], bytes]:
    environ: dict[str, object] = {"PATH_INFO": path, "REQUEST_METHOD": "GET"}
    setup_testing_defaults(environ)
    started: list[tuple[str, list[tuple[str, str]]]] = []

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        started.append((status, headers))

    body = b"".join(bench.wsgi.application(environ, start_response))
    status, headers = started[0]
    return status, dict(headers), body


def test_the_bare_view_answers_without_any_middleware():
    status, headers, body = call(BARE_PATH)
    assert (status, body) == ("200 OK", b"ok")
    assert set(headers) == {"Content-Type"}  # no security, CSP or Vary headers


def test_every_other_path_goes_to_the_site_handler(monkeypatch):
    seen: list[str] = []

    def site(environ, start_response):
        seen.append(environ["PATH_INFO"])
        start_response("200 OK", [])
        return [b""]

    monkeypatch.setattr(bench.wsgi, "site", site)
    call("/")
    call(BARE_PATH)
    call(BARE_PATH + "more/")
    assert seen == ["/", BARE_PATH + "more/"]
