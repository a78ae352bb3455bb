"""The sign-up answers alike, in content and in time, whatever is known of the address."""

import statistics
import time

import pytest
from django.test import Client

from newsletter.models import Subscriber
from tests.newsletter.helpers import guide_create, signup

pytestmark = pytest.mark.django_db

RUNS = 7


def answer(email: str, ip: str) -> tuple[int, str, str]:
    client = Client()
    response = signup(client, email=email, ip=ip)
    page = client.get(response["Location"])
    return response.status_code, response["Location"], page.text


def test_every_kind_of_address_gets_the_same_answer() -> None:
    guide_create()
    for status in ("active", "pending", "unsubscribed", "bounced", "complained"):
        Subscriber.objects.create(email=f"{status}@example.com", status=status)
    answers = {
        answer(f"{kind}@example.com", ip=f"192.0.2.{n}")
        for n, kind in enumerate(
            ["new", "active", "pending", "unsubscribed", "bounced", "complained"]
        )
    }
    assert len(answers) == 1
    assert Subscriber.objects.get(email="active@example.com").status == "active"


def seconds(email: str, ip: str) -> float:
    started = time.perf_counter()
    signup(email=email, ip=ip)
    return time.perf_counter() - started


@pytest.mark.queued_tasks
def test_a_known_address_takes_as_long_as_a_new_one() -> None:
    """The request only checks the form and queues the work: nothing in it depends on the
    address (even the per-address limit is counted in the task)."""
    guide_create()
    Subscriber.objects.create(email="known@example.com", status=Subscriber.Status.ACTIVE)
    seconds("warm.up@example.com", ip="192.0.2.200")
    new: list[float] = []
    known: list[float] = []
    for run in range(RUNS):  # in turns, so a busy machine slows both alike
        new.append(seconds(f"new{run}@example.com", ip=f"192.0.2.{run}"))
        known.append(seconds("known@example.com", ip=f"198.51.100.{run}"))
    ratio = statistics.median(known) / statistics.median(new)
    assert 0.5 < ratio < 2, f"known {known}, new {new}"
