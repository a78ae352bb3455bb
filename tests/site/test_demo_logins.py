"""The address `make run` prints last is where its web server listens (`demo_logins --port`),
whatever `SITE_URL` (the address in emailed links) says."""

import pytest
from django.core.management import CommandError, call_command

from tests.practice.test_embedded_stack import free_port, make_run

pytestmark = pytest.mark.django_db


def _address_line(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    call_command("demo_logins", *args)
    [line] = [s for s in capsys.readouterr().out.splitlines() if s.startswith("The site runs")]
    return line


def test_the_port_given_replaces_site_urls(settings, capsys) -> None:
    settings.SITE_URL = "http://127.0.0.1:8000"

    line = _address_line(capsys, "--port", "8817")

    assert line == "The site runs at http://127.0.0.1:8817/ (Ctrl-C stops it)."


def test_the_host_of_a_local_site_url_is_kept(settings, capsys) -> None:
    settings.SITE_URL = "http://localhost:8000"

    assert "http://localhost:8817/" in _address_line(capsys, "--port", "8817")


def test_a_public_site_url_gives_the_loopback_address_on_that_port(settings, capsys) -> None:
    """runserver speaks plain HTTP on this machine, not the public https address."""
    settings.SITE_URL = "https://strongbones.example"

    assert "http://127.0.0.1:8817/" in _address_line(capsys, "--port", "8817")


def test_without_a_port_the_address_is_site_urls(settings, capsys) -> None:
    settings.SITE_URL = "http://127.0.0.1:8123"

    assert "http://127.0.0.1:8123/" in _address_line(capsys)


@pytest.mark.parametrize("port", ["0", "65536", "eighty", "-1"])
def test_a_port_out_of_range_is_refused_with_a_message(port: str) -> None:
    with pytest.raises(CommandError, match="the port must be a number from 1 to 65535"):
        call_command("demo_logins", "--port", port)


def test_a_port_and_an_address_together_are_refused() -> None:
    with pytest.raises(CommandError, match="not allowed with"):
        call_command("demo_logins", "--port", "8817", "--url", "http://127.0.0.1:8000/")


@pytest.mark.slow
def test_make_run_on_another_port_prints_that_port_when_site_url_names_another(tmp_path):
    """`SITE_URL` from the shell or `.env` (honcho reads it over the environment) keeps the
    links in emails where it says; the address printed last is still the web server's."""
    port, other = free_port(), free_port()
    with make_run(tmp_path, port, SITE_URL=f"http://127.0.0.1:{other}") as output:
        output.wait_for(r"web.*Quit the server with", timeout=180)
        output.wait_for(r"hello.*patient@example\.com / \S+", timeout=90)
        [(_, address)] = output.lines_matching(r"hello.*The site runs at (\S+) ")
        assert address.group(1) == f"http://127.0.0.1:{port}/"
        output.wait_for(rf"web.*Starting development server at http://127\.0\.0\.1:{port}/")
