"""The admin speaks as the practice: its name, one accounts section, times in its time zone."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from practice.core.selectors import practice_profile
from practice.scheduling.models import Job

pytestmark = pytest.mark.django_db

ACCOUNT_MODELS = [
    "API keys",
    "Authenticators",
    "Email addresses",
    "Groups",
    "Patient invites",
    "Patient profiles",
    "Therapist profiles",
    "Users",
]


def section_titles(html: str) -> list[str]:
    return re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', html)


def section_models(html: str, section: str) -> list[str]:
    table = re.search(rf"<table>\s*<caption>\s*<a [^>]*>{section}</a>.*?</table>", html, re.S)
    assert table, section
    return re.findall(r'<th scope="row"[^>]*>\s*<a [^>]*>([^<]+)</a>', table.group(0))


def test_the_admin_is_titled_with_the_practice_name_as_the_profile_says(
    owner_client: Client,
) -> None:
    profile = practice_profile()
    profile.name = "Harbour Bone Health"
    profile.save()

    html = owner_client.get(reverse("admin:index")).content.decode()

    assert '<div id="site-name"><a href="/admin/">Harbour Bone Health</a>' in html
    assert "<title>Manage the site | Harbour Bone Health</title>" in html
    assert "Django administration" not in html
    assert re.search(r'<link rel="icon" href="[^"]+favicon\.svg"', html)


def test_staff_find_every_account_model_in_one_accounts_section(owner_client: Client) -> None:
    html = owner_client.get(reverse("admin:index")).content.decode()

    titles = section_titles(html)
    assert titles.count("Accounts") == 1, titles
    assert "Authentication and Authorization" not in titles
    assert "MFA" not in titles
    assert "Auth Token" not in titles
    assert section_models(html, "Accounts") == ACCOUNT_MODELS
    section = owner_client.get(reverse("admin:app_list", args=["auth"])).content.decode()
    assert section_models(section, "Accounts") == ACCOUNT_MODELS


def test_admin_times_are_in_the_practice_time_zone_and_say_so(owner_client: Client) -> None:
    profile = practice_profile()
    profile.time_zone = "Europe/London"
    profile.save()
    Job.objects.create(
        kind="tests.record", key="tests:summer", due_at=datetime(2025, 7, 1, 16, 30, tzinfo=UTC)
    )

    html = owner_client.get(reverse("admin:scheduling_job_changelist")).content.decode()

    assert "July 1, 2025, 5:30 p.m." in html, "British Summer Time, one hour ahead of UTC"
    assert "Times shown in Europe/London time" in html
