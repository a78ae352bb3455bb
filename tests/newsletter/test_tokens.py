"""What ``newsletter.tokens`` says of its tokens: an unsubscribe or preferences token is a
new string each second it is made (Django's ``TimestampSigner``), and every one keeps
working for as long as she has the address it was sent to."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from newsletter import links
from newsletter.models import Subscriber
from newsletter.tokens import Purpose, token_make, token_read

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("purpose", ["unsubscribe", "preferences"])
def test_a_token_that_never_expires_differs_each_second_and_all_of_them_work(
    purpose: Purpose,
) -> None:
    made = []
    for seconds in (0, 0, 1):
        with time_machine.travel(SENT + timedelta(seconds=seconds), tick=False):
            made.append(token_make(purpose=purpose, subscriber_id=7, address="ada@example.com"))
    assert made[0] == made[1]  # the same second: the same string
    assert made[1] != made[2]  # the next second: another one
    with time_machine.travel(SENT + timedelta(days=3650)):
        for token in made:
            data = token_read(token, purpose=purpose)
            assert data is not None
            assert data.fresh
            assert data.matches("ada@example.com")


def test_an_unsubscribe_link_from_an_old_email_still_unsubscribes_her() -> None:
    ada = Subscriber.objects.create(email="ada@example.com", status=Subscriber.Status.ACTIVE)
    with time_machine.travel(SENT, tick=False):
        old = links.unsubscribe_url(ada)
    with time_machine.travel(SENT + timedelta(days=400), tick=False):
        assert links.unsubscribe_url(ada) != old  # this month's email has another link
        answer = Client().post(
            old, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
    assert answer.status_code == 200
    ada.refresh_from_db()
    assert ada.status == Subscriber.Status.UNSUBSCRIBED
