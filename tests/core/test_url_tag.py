"""{% url %} without arguments is reversed once per process, and still answers rightly."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, set_script_prefix, set_urlconf

from practice.core import url_tag


@pytest.fixture(autouse=True)
def _project_urlconf():
    """Render with the project's URLconf: a request that failed in an earlier test can leave
    its own urlconf in this thread (Django resets it only when the response is closed)."""
    set_urlconf(None)
    url_tag._reversed.clear()
    yield
    url_tag._reversed.clear()


def render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_names_without_arguments_are_reversed_once(monkeypatch) -> None:
    calls = []
    original = url_tag.reverse

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(url_tag, "reverse", counting)
    for _ in range(3):
        assert render("{% url 'about' %}|{% url 'privacy' %}") == "/about/|/privacy/"
    assert len(calls) == 2


def test_a_script_prefix_gives_its_own_addresses() -> None:
    try:
        set_script_prefix("/clinic/")
        assert render("{% url 'about' %}") == "/clinic/about/"
    finally:
        set_script_prefix("/")
    assert render("{% url 'about' %}") == "/about/"


def test_arguments_as_variables_and_unknown_names_behave_as_in_django() -> None:
    assert render("{% url 'education:detail' slug=s %}", s="a-b") == "/articles/a-b/"
    assert render("{% url 'education:detail' slug=s %}", s="c-d") == "/articles/c-d/"
    assert render("{% url 'no-such-page' as there %}[{{ there }}]") == "[]"
    with pytest.raises(NoReverseMatch):
        render("{% url 'no-such-page' %}")
    with pytest.raises(TemplateSyntaxError):
        Template("{% url %}")


@pytest.mark.django_db
def test_pages_link_the_same_as_before() -> None:
    page = Client().get("/").content.decode()
    for address in ('href="/about/"', 'href="/privacy/"', 'href="/articles/"', 'href="/"'):
        assert address in page
    request = RequestFactory().get("/")
    assert render("{% url 'home' %}", request=request) == "/"
