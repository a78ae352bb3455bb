"""One upcoming free consult per email address or phone number, with no enumeration.

A request whose address or number has an upcoming consult is held, not refused. Seen by the
person who sends it, nothing differs from a new booking: the answer (page and API bytes but
the values she typed), the work the request does (same queries: same timing), the slot's
state (taken at once, freed at once only by someone entitled to), and the emails that
arrive at the address she typed (through a real SMTP server). What differs is told only to
the mailbox that holds the consult.
"""

import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from consults import tokens
from consults.agenda import feed_create
from consults.changes import booking_cancel
from consults.held import held_token
from consults.models import Booking, ConsultHost
from practice.core.selectors import practice_profile
from practice.outbox.delivery import message_deliver
from practice.outbox.models import OutboxMessage
from practice.scheduling.services import jobs_run_due
from tests.consults.helpers import sent_to

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # Monday November 30, 7:00 a.m. EST
VICTIM = "victim@example.com"
VICTIM_PHONE = "+12025550111"
ATTACKER = "prober@example.com"
CONTROL = "control@example.com"
BOOKINGS = "/api/v1/consults/bookings/"


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def run_hooks(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def data(start: str, email: str, phone: str) -> dict[str, object]:
    return {
        "start": start,
        "time_zone": "America/New_York",
        "name": "Ann Lee",
        "email": email,
        "phone": phone,
        "concern": "balance",
        "concern_detail": "",
        "consent": True,
    }


def post(api: APIClient, run_hooks, start: str, email: str, phone: str):
    return run_hooks(lambda: api.post(BOOKINGS, data(start, email, phone), format="json"))


@pytest.fixture
def victim(host: ConsultHost, run_hooks) -> Booking:
    """Someone with an upcoming consult on Thursday December 3 at 10:00 EST."""
    response = post(APIClient(), run_hooks, "2026-12-03T10:00:00-05:00", VICTIM, VICTIM_PHONE)
    assert response.status_code == 201
    jobs_run_due()
    OutboxMessage.objects.all().delete()
    return Booking.objects.get(email=VICTIM)


def free_starts(api: APIClient, day: str) -> set[str]:
    body = api.get("/api/v1/consults/slots/", {"date": day, "tz": "America/New_York"}).json()
    return {slot["start"] for slot in body["slots"]}


def normalised(text: str, *values: str) -> str:
    """``text`` without the values the sender typed or the server drew (times, ids)."""
    for value in values:
        text = text.replace(value, "<typed>")
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uid>", text)
    text = re.sub(r"/link/[^/\s\"<]+/", "/link/<token>/", text)
    text = re.sub(r"https://(?:calendar\.google|outlook\.live)\.com/\S+", "<add-link>", text)
    text = re.sub(r"(?:dates|startdt|enddt)=[^&\s\"<]+", "<dates>", text)
    return re.sub(r"2026-12-0\dT\d\d:\d\d:00-05:00|\d\d?(?::\d\d)? [ap]\.m\.", "<time>", text)


# The answer: page and API.


def _statement(sql: str) -> str:
    """A query without its values, literals, savepoint names and spaces."""
    sql = re.sub(r"\bVALUES\b.*", "VALUES", sql, flags=re.S)
    return re.sub(r"\s+", "", re.sub(r"'[^']*'|\bNULL\b|\bs\d+_x\d+\b|-?\b\d+\b", "?", sql))


@pytest.mark.parametrize(
    "probe",
    [
        pytest.param((ATTACKER, VICTIM_PHONE), id="her-address-the-victims-number"),
        pytest.param((VICTIM, "+12025550177"), id="the-victims-address-her-number"),
    ],
)
def test_the_api_answers_the_same_bytes_and_does_the_same_work(
    victim: Booking, run_hooks, probe: tuple[str, str]
) -> None:
    api = APIClient()
    answers, queries = [], []
    practice_profile()  # cached per process: loaded before, not inside, the first request
    for start, (email, phone) in (
        ("2026-12-01T09:00:00-05:00", probe),
        ("2026-12-01T09:15:00-05:00", (CONTROL, "+12025550188")),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = post(api, run_hooks, start, email, phone)
        assert response.status_code == 201
        answers.append(normalised(response.content.decode(), email, phone))
        # The same statements on the same tables in the same order (literals aside).
        queries.append([_statement(q["sql"]) for q in captured.captured_queries])
    assert answers[0] == answers[1]
    assert len(queries[0]) == len(queries[1])
    assert queries[0] == queries[1]
    assert Booking.objects.get(email=probe[0], phone=probe[1]).is_held


def test_the_page_answers_the_same(victim: Booking, run_hooks) -> None:
    pages = []
    for start, email, phone in (
        ("2026-12-01T14:00:00+00:00", ATTACKER, VICTIM_PHONE),
        ("2026-12-01T14:15:00+00:00", CONTROL, "+12025550188"),
    ):
        client = Client()
        form = {
            "tz": "Europe/London",
            "date": "2026-12-01",
            "start": start,
            "name": "Ann Lee",
            "email": email,
            "phone": phone,
            "concern": "balance",
            "consent": "on",
        }
        response = run_hooks(lambda c=client, f=form: c.post("/consults/book/", f))
        assert response.status_code == 302
        assert response["Location"] == "/consults/booked/"
        html = client.get("/consults/booked/").content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        shown = "(202) 555-0111" if phone == VICTIM_PHONE else "(202) 555-0188"
        pages.append(normalised(main, email, shown))
    assert pages[0] == pages[1]
    assert "booked" in pages[0]


# The slot.


def test_a_held_request_takes_its_time_at_once_like_any_booking(victim: Booking, run_hooks) -> None:
    api = APIClient()
    asked = "2026-12-01T09:00:00-05:00"
    assert asked in free_starts(api, "2026-12-01")
    post(api, run_hooks, asked, ATTACKER, VICTIM_PHONE)
    assert asked not in free_starts(api, "2026-12-01")
    # Nothing frees it on a timer (a time freed soon after would tell the prober).
    with time_machine.travel(NOW + timedelta(hours=20), tick=False):
        jobs_run_due()
        assert asked not in free_starts(api, "2026-12-01")
    # And another request for it is told it was just taken, as for any booking.
    taken = post(api, run_hooks, asked, CONTROL, "+12025550188")
    assert taken.status_code == 409


# The emails, as a mail program receives them.


def _deliver_all(smtp_server, count: int) -> list[EmailMessage]:
    # After the last reminder was queued (a message is sent once it is due).
    with time_machine.travel(datetime(2026, 12, 1, 14, 12, tzinfo=UTC), tick=False):
        for message in OutboxMessage.objects.filter(sent_at__isnull=True).order_by("pk"):
            message_deliver(message_id=message.pk)
    return smtp_server.wait_for(count)


def _mailbox(received: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in received if address in str(m["To"])]


def _decoded(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def _plain(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


def _summary(message: EmailMessage, *typed: str) -> tuple[str, list[str]]:
    parts = [
        normalised(_decoded(p), *typed)
        for p in message.walk()
        if p.get_content_type() == "text/plain"
    ]
    types = sorted(p.get_content_type() for p in message.walk() if not p.is_multipart())
    return normalised(str(message["Subject"]), *typed), parts + types


def test_her_mailbox_gets_what_a_new_booking_gets_and_the_number_holder_is_told(
    victim: Booking, run_hooks, smtp_server
) -> None:
    api = APIClient()
    post(api, run_hooks, "2026-12-01T09:00:00-05:00", ATTACKER, VICTIM_PHONE)
    post(api, run_hooks, "2026-12-01T09:15:00-05:00", CONTROL, "+12025550188")
    jobs_run_due()  # the follow-up jobs: host notice, number holder's note
    # The reminders, up to just before the calls.
    for moment in (
        datetime(2026, 11, 30, 14, 20, tzinfo=UTC),  # both 24-hour reminders
        datetime(2026, 12, 1, 13, 20, tzinfo=UTC),  # both 1-hour reminders
        datetime(2026, 12, 1, 14, 6, tzinfo=UTC),  # the host's, 10 minutes before 9:15
    ):
        with time_machine.travel(moment, tick=False):
            jobs_run_due()
    host_address = victim.host.therapist.user.email
    received = _deliver_all(smtp_server, OutboxMessage.objects.count())

    probe = [_summary(m, ATTACKER, "(202) 555-0111") for m in _mailbox(received, ATTACKER)]
    control = [_summary(m, CONTROL, "(202) 555-0188") for m in _mailbox(received, CONTROL)]
    assert len(probe) == 3  # confirmation, 24-hour and 1-hour reminders
    assert probe == control
    assert "text/calendar" in probe[0][1]

    [notice] = _mailbox(received, VICTIM)
    assert "your phone number" in str(notice["Subject"]).lower()
    body = _plain(notice)
    assert "9 a.m. EST on Tuesday, December 1, 2026" in body
    assert "10 a.m. EST on Thursday, December 3, 2026" in body
    assert ATTACKER not in body  # whoever typed her number learns nothing of her, nor she of them

    # The host hears of the real booking only, and is reminded to call it only.
    to_host = [str(m["Subject"]) for m in _mailbox(received, host_address)]
    assert len(to_host) == 2
    assert all("Ann Lee" in subject for subject in to_host)
    assert not any("555-0111" in subject for subject in to_host)


def test_her_address_asking_again_gets_the_offer_and_nobody_else_hears(
    victim: Booking, run_hooks, smtp_server
) -> None:
    post(APIClient(), run_hooks, "2026-12-01T09:00:00-05:00", VICTIM, "+12025550177")
    jobs_run_due()
    with time_machine.travel(datetime(2026, 12, 1, 13, 50, tzinfo=UTC), tick=False):
        jobs_run_due()  # no reminders of a time nobody confirmed
    received = _deliver_all(smtp_server, 1)
    assert len(received) == OutboxMessage.objects.count() == 1
    [offer] = received
    assert str(offer["To"]) == VICTIM
    assert "already have" in str(offer["Subject"])
    body = _plain(offer)
    assert "9 a.m. EST on Tuesday, December 1, 2026" in body
    assert "/consults/held/link/" in body
    [part] = [p for p in offer.walk() if p.get_content_type() == "text/calendar"]
    assert str(victim.uid) in _decoded(part)  # her consult's invite


# The offer's answers.


def _open_offer(client: Client) -> str:
    [offer] = sent_to(VICTIM)
    link = re.search(r"https?://[^/]+(/consults/held/link/[^/\s]+/)", offer.text_body)
    assert link is not None
    opened = client.get(link.group(1))
    assert opened.status_code == 302
    assert opened["Location"] == "/consults/held/"
    return client.get("/consults/held/").content.decode()


def test_take_the_new_time_instead(victim: Booking, run_hooks) -> None:
    api, client = APIClient(), Client()
    post(api, run_hooks, "2026-12-01T09:00:00-05:00", VICTIM, "+12025550177")
    held = Booking.objects.get(held="email")
    page = _open_offer(client)
    assert "9 a.m. EST on Tuesday, December 1, 2026" in page
    assert "10 a.m. EST on Thursday, December 3, 2026" in page
    response = run_hooks(lambda: client.post("/consults/held/", {"action": "take"}))
    assert response.status_code == 200
    held.refresh_from_db()
    victim.refresh_from_db()
    assert not held.is_held
    assert held.status == "confirmed"
    assert victim.status == "cancelled"
    assert "2026-12-03T10:00:00-05:00" in free_starts(api, "2026-12-03")
    assert "2026-12-01T09:00:00-05:00" not in free_starts(api, "2026-12-01")
    subjects = [m.subject for m in sent_to(VICTIM)]
    assert any("cancelled" in s for s in subjects)
    assert any(s.startswith("Your free phone consult: 9 a.m.") for s in subjects)
    assert len(sent_to(victim.host.therapist.user.email)) == 2  # new one, cancelled one
    # Answered once: the page says so.
    again = client.post("/consults/held/", {"action": "keep"})
    assert again.status_code == 409
    assert again.content.decode().count("already been answered") == 1  # said once, not twice


def test_keep_my_consult_frees_the_other_time_at_once(victim: Booking, run_hooks) -> None:
    api, client = APIClient(), Client()
    post(api, run_hooks, "2026-12-01T09:00:00-05:00", VICTIM, "+12025550177")
    _open_offer(client)
    OutboxMessage.objects.all().delete()
    run_hooks(lambda: client.post("/consults/held/", {"action": "keep"}))
    assert Booking.objects.get(held="email").status == "cancelled"
    assert "2026-12-01T09:00:00-05:00" in free_starts(api, "2026-12-01")
    victim.refresh_from_db()
    assert victim.status == "confirmed"
    assert OutboxMessage.objects.count() == 0  # nobody was ever told of the held time


def test_a_double_click_on_take_shows_her_the_new_time_not_an_error(
    victim: Booking, run_hooks
) -> None:
    """She presses "Take ..." twice (a slow page, an unsteady hand): the browser shows the
    answer to the second press. It says what the first did (her consult is now the new time),
    not that the request "has already been answered", which reads as a failure; nothing is
    done twice."""
    client = Client()
    post(APIClient(), run_hooks, "2026-12-01T09:00:00-05:00", VICTIM, "+12025550177")
    _open_offer(client)
    first = run_hooks(lambda: client.post("/consults/held/", {"action": "take"}))
    sent = OutboxMessage.objects.count()
    second = run_hooks(lambda: client.post("/consults/held/", {"action": "take"}))
    assert second.status_code == 200
    page = second.content.decode()
    assert "already been answered" not in page
    assert "Your consult is now 9 a.m. EST on Tuesday, December 1, 2026" in page
    assert normalised(page) == normalised(first.content.decode())
    assert OutboxMessage.objects.count() == sent
    assert Booking.objects.filter(email=VICTIM, status="confirmed").count() == 1


def test_a_double_click_on_keep_shows_her_consult_stays(victim: Booking, run_hooks) -> None:
    """The same for "Keep my consult": the second press says her consult stays."""
    client = Client()
    post(APIClient(), run_hooks, "2026-12-01T09:00:00-05:00", VICTIM, "+12025550177")
    _open_offer(client)
    first = run_hooks(lambda: client.post("/consults/held/", {"action": "keep"}))
    second = run_hooks(lambda: client.post("/consults/held/", {"action": "keep"}))
    assert second.status_code == 200
    page = second.content.decode()
    assert "Your consult stays 10 a.m. EST on Thursday, December 3, 2026" in page
    assert normalised(page) == normalised(first.content.decode())
    victim.refresh_from_db()
    assert victim.status == "confirmed"


def test_after_she_cancelled_her_consult_the_offer_never_says_it_stands(
    victim: Booking, run_hooks
) -> None:
    """She asked for a second time (held: the offer), then cancelled her consult from its own
    link, then opens the offer. The page must not show the cancelled consult as hers, and
    "Keep my consult" must not tell her it stays: she would wait for a call nobody makes."""
    client = Client()
    post(APIClient(), run_hooks, "2026-12-01T09:00:00-05:00", VICTIM, "+12025550177")
    _open_offer(client)
    run_hooks(lambda: booking_cancel(booking_id=victim.pk))
    page = client.get("/consults/held/").content.decode()
    assert "Your consult</dt>" not in page
    assert "was cancelled" in page
    kept = run_hooks(lambda: client.post("/consults/held/", {"action": "keep"}))
    assert "stays" not in kept.content.decode()
    assert "9 a.m. EST on Tuesday, December 1, 2026 is free again" in kept.content.decode()
    assert Booking.objects.filter(email=VICTIM, status="confirmed").count() == 0


def test_after_she_cancelled_her_consult_she_can_still_take_the_new_time(
    victim: Booking, run_hooks
) -> None:
    client = Client()
    post(APIClient(), run_hooks, "2026-12-01T09:00:00-05:00", VICTIM, "+12025550177")
    _open_offer(client)
    run_hooks(lambda: booking_cancel(booking_id=victim.pk))
    taken = run_hooks(lambda: client.post("/consults/held/", {"action": "take"}))
    assert taken.status_code == 200
    assert "Your consult is now 9 a.m. EST on Tuesday, December 1, 2026" in taken.content.decode()
    [live] = Booking.objects.filter(email=VICTIM, status="confirmed")
    assert not live.is_held


def test_a_forged_offer_link_opens_nothing(client: Client) -> None:
    response = client.get("/consults/held/link/forged:token/")
    assert response.status_code == 404
    assert client.get("/consults/held/").status_code == 404


def test_the_agenda_shows_a_held_request_apart(
    victim: Booking, run_hooks, therapist_client: Client
) -> None:
    post(APIClient(), run_hooks, "2026-12-01T09:00:00-05:00", ATTACKER, VICTIM_PHONE)
    html = therapist_client.get("/consults/agenda/", {"date": "2026-12-01"}).content.decode()
    assert "Held, do not call" in html
    token = feed_create(host=victim.host)
    feed = icalendar.Calendar.from_ical(Client().get(f"/consults/feed/{token}.ics").content)
    summaries = [str(event["SUMMARY"]) for event in feed.events]
    assert len(summaries) == 1  # the real consult only: nobody calls a held one
    assert "555-0111" in summaries[0]


def test_she_cancels_a_number_held_booking_from_her_link_like_any_other(
    victim: Booking, run_hooks
) -> None:
    api, client = APIClient(), Client()
    asked = "2026-12-01T09:00:00-05:00"
    post(api, run_hooks, asked, ATTACKER, VICTIM_PHONE)
    [confirmation] = sent_to(ATTACKER)
    link = re.search(r"https?://[^/]+(/consults/manage/link/[^/\s]+/)", confirmation.text_body)
    assert link is not None
    client.get(link.group(1))
    assert (
        "Ruth Calder will call you on (202) 555-0111"
        in client.get("/consults/manage/").content.decode()
    )
    run_hooks(lambda: client.post("/consults/manage/cancel/", {"sequence": "0"}))
    assert asked in free_starts(api, "2026-12-01")  # free again at once
    assert [m.subject.split(" on ")[-1] for m in sent_to(ATTACKER)][-1].endswith("is cancelled")
    # The host never heard of it, so she is not told it is cancelled either.
    assert sent_to(victim.host.therapist.user.email) == []


def test_when_the_numbers_consult_is_cancelled_the_request_held_for_it_becomes_real(
    victim: Booking, run_hooks
) -> None:
    post(APIClient(), run_hooks, "2026-12-01T09:00:00-05:00", ATTACKER, VICTIM_PHONE)
    jobs_run_due()
    held = Booking.objects.get(held="phone")
    client = Client()
    client.get(f"/consults/manage/link/{tokens.manage_token(booking_id=victim.pk)}/")
    run_hooks(lambda: client.post("/consults/manage/cancel/", {"sequence": "0"}))
    held.refresh_from_db()
    assert not held.is_held
    host_mail = sent_to(victim.host.therapist.user.email)
    assert any("Ann Lee" in m.subject and "9 a.m." in m.text_body for m in host_mail)
    assert sent_to(ATTACKER)[-1].subject.startswith("Your free phone consult")  # nothing new


def test_taking_the_new_time_tells_nothing_about_the_number_it_gives(
    victim: Booking, run_hooks
) -> None:
    """A prober with a consult of her own asks again from her address with someone's number,
    then takes the new time: the answer is the same whether that number has a consult or not.
    (It was a 409 "The phone number of that request already has another consult".)"""
    api, pages = APIClient(), []
    # The number's holder reads her times in another zone: nothing of hers may show.
    Booking.objects.filter(pk=victim.pk).update(time_zone="Asia/Tokyo")
    for (email, own_phone, probe_phone), minute in (
        ((ATTACKER, "+12025550155", VICTIM_PHONE), "00"),
        ((CONTROL, "+12025550166", "+12025550188"), "15"),
    ):
        post(api, run_hooks, f"2026-12-02T09:{minute}:00-05:00", email, own_phone)
        post(api, run_hooks, f"2026-12-01T09:{minute}:00-05:00", email, probe_phone)
        [offer] = [m for m in sent_to(email) if "already have" in m.subject]
        link = re.search(r"https?://[^/]+(/consults/held/link/[^/\s]+/)", offer.text_body)
        assert link is not None
        client = Client()
        client.get(link.group(1))
        response = run_hooks(lambda c=client: c.post("/consults/held/", {"action": "take"}))
        html = response.content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        pages.append((response.status_code, normalised(main, email)))
        html = client.get("/consults/held/").content.decode()  # opened again later
        pages.append((200, normalised(html[html.index("<main") : html.index("</main>")], email)))
    assert pages[0] == pages[2]
    assert pages[1] == pages[3]
    assert pages[0][0] == 200
    # Her first consult is cancelled in both cases; the number's consult stands, and the new
    # time is held for it: nobody calls it, and the number's holder is told.
    taken = Booking.objects.get(email=ATTACKER, status="confirmed")
    assert taken.held == Booking.Held.PHONE
    assert taken.held_for == victim
    assert not Booking.objects.get(email=CONTROL, status="confirmed").is_held
    victim.refresh_from_db()
    assert victim.status == "confirmed"
    jobs_run_due()
    assert any(
        m.subject.startswith("A consult request with your phone number") for m in sent_to(VICTIM)
    )


def test_the_numbers_holder_is_told_before_and_when_a_request_with_her_number_takes_over(
    victim: Booking, run_hooks
) -> None:
    """She was told "nobody will call you at" the other time; if she cancels hers, the request
    made with her number becomes real and will be called: both emails must say so (a stranger
    may have made it)."""
    post(APIClient(), run_hooks, "2026-12-01T09:00:00-05:00", ATTACKER, VICTIM_PHONE)
    jobs_run_due()
    [notice] = sent_to(VICTIM)
    assert "if you cancel yours" in " ".join(notice.text_body.split()).lower()
    client = Client()
    client.get(f"/consults/manage/link/{tokens.manage_token(booking_id=victim.pk)}/")
    run_hooks(lambda: client.post("/consults/manage/cancel/", {"sequence": "0"}))
    cancelled = sent_to(VICTIM)[-1]
    assert "cancelled" in cancelled.subject
    for body in (cancelled.text_body, cancelled.html_body):
        text = " ".join(re.sub(r"<[^>]+>", " ", body).split())
        assert "9 a.m. EST on Tuesday, December 1, 2026" in text
        assert "will call you on (202) 555-0111" in text


def test_taking_a_time_whose_number_another_request_was_held_for_makes_it_real(
    host: ConsultHost, run_hooks
) -> None:
    """Her second request Z (held for her address) gave a number that a later request W from
    another address also gave (W is held for Z). When she takes Z, Z is the number's consult:
    real, and W stays held for it. Neither may end up held for the other (nobody called)."""
    api = APIClient()
    post(api, run_hooks, "2026-12-02T09:00:00-05:00", ATTACKER, "+12025550155")
    post(api, run_hooks, "2026-12-01T09:00:00-05:00", ATTACKER, "+12025550177")
    post(api, run_hooks, "2026-12-01T10:00:00-05:00", CONTROL, "+12025550177")
    asked = Booking.objects.get(email=ATTACKER, held="email")
    later = Booking.objects.get(email=CONTROL)
    assert later.held == Booking.Held.PHONE
    assert later.held_for == asked
    [offer] = [m for m in sent_to(ATTACKER) if "already have" in m.subject]
    link = re.search(r"https?://[^/]+(/consults/held/link/[^/\s]+/)", offer.text_body)
    assert link is not None
    client = Client()
    client.get(link.group(1))
    assert run_hooks(lambda: client.post("/consults/held/", {"action": "take"})).status_code == 200
    asked.refresh_from_db()
    later.refresh_from_db()
    assert not asked.is_held
    assert later.held == Booking.Held.PHONE
    assert later.held_for == asked


def test_taking_a_new_time_with_her_own_number_keeps_the_number_hers(
    victim: Booking, run_hooks
) -> None:
    """Another address booked with her number (held for her consult X, nobody calls it). She
    asks for a new time Y with the same number and takes it instead of X. The number was hers
    and stays hers: Y is real (she was told "Your consult is now Y"), the other request is
    held for Y now. Before the fix X's cancellation released the other request first, and Y
    was held for it: her confirmed time would never be called, and X's cancel email told her
    that her number would be called at the other request's time."""
    api = APIClient()
    post(api, run_hooks, "2026-12-02T09:00:00-05:00", CONTROL, VICTIM_PHONE)
    other = Booking.objects.get(email=CONTROL)
    assert (other.held, other.held_for) == (Booking.Held.PHONE, victim)
    post(api, run_hooks, "2026-12-01T09:00:00-05:00", VICTIM, VICTIM_PHONE)
    client = Client()
    _open_offer(client)
    taken = run_hooks(lambda: client.post("/consults/held/", {"action": "take"}))
    assert taken.status_code == 200
    asked = Booking.objects.get(email=VICTIM, starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC))
    other.refresh_from_db()
    victim.refresh_from_db()
    assert victim.status == "cancelled"
    assert asked.status == "confirmed"
    assert asked.held == Booking.Held.NO, "her confirmed time would never be called"
    assert (other.held, other.held_for) == (Booking.Held.PHONE, asked)
    [cancelled] = [m for m in sent_to(VICTIM) if "cancelled" in m.subject.lower()]
    assert "9 a.m. EST on Wednesday, December 2" not in cancelled.text_body


def test_two_requests_held_for_her_address_leave_her_one_consult_whichever_she_takes(
    victim: Booking, run_hooks
) -> None:
    """She asked twice more (both held for her consult). She takes the first new time, then
    opens the second offer: it now names the consult she has (not the cancelled one), and
    taking it replaces that one. One upcoming consult for her address throughout (it was two:
    the second take found its consult cancelled and cancelled nothing)."""
    api = APIClient()
    post(api, run_hooks, "2026-12-04T09:00:00-05:00", VICTIM, "+12025550177")
    post(api, run_hooks, "2026-12-07T09:00:00-05:00", VICTIM, "+12025550188")
    first, second = Booking.objects.filter(held="email").order_by("starts_at")
    assert first.held_for == second.held_for == victim
    pages = []
    for asked in (first, second):
        client = Client()
        client.get(f"/consults/held/link/{held_token(booking_id=asked.pk)}/")
        pages.append(client.get("/consults/held/").content.decode())
        response = run_hooks(lambda c=client: c.post("/consults/held/", {"action": "take"}))
        assert response.status_code == 200
        assert "the other one is cancelled" in response.content.decode()
    assert "10 a.m. EST on Thursday, December 3, 2026" in pages[0]
    assert "10 a.m. EST on Thursday, December 3, 2026" not in pages[1]
    assert "9 a.m. EST on Friday, December 4, 2026" in pages[1]  # her consult by then
    live = Booking.objects.filter(email=VICTIM, status="confirmed")
    assert [(b.pk, b.held) for b in live] == [(second.pk, Booking.Held.NO)]
    assert "2026-12-04T09:00:00-05:00" in free_starts(api, "2026-12-04")


def test_a_request_still_held_when_the_numbers_consult_is_cancelled_waits_for_the_next_one(
    victim: Booking, run_hooks
) -> None:
    """Two requests came with her number (both held for her consult). She cancels: the first
    becomes the number's consult, the second is now held for it; when that one is cancelled
    too, the second becomes real and is called. (It stayed held for her cancelled consult:
    nothing would ever release it, and nobody would call although its sender was told.)"""
    api = APIClient()
    post(api, run_hooks, "2026-12-04T09:00:00-05:00", ATTACKER, VICTIM_PHONE)
    post(api, run_hooks, "2026-12-07T09:00:00-05:00", CONTROL, VICTIM_PHONE)
    first, second = Booking.objects.filter(held="phone").order_by("starts_at")
    assert first.held_for == second.held_for == victim
    for cancelled in (victim, first):
        client = Client()
        client.get(f"/consults/manage/link/{tokens.manage_token(booking_id=cancelled.pk)}/")
        run_hooks(lambda c=client: c.post("/consults/manage/cancel/", {"sequence": "0"}))
        second.refresh_from_db()
        if cancelled == victim:
            first.refresh_from_db()
            assert not first.is_held
            assert (second.held, second.held_for) == (Booking.Held.PHONE, first)
    assert not second.is_held
    host_mail = sent_to(victim.host.therapist.user.email)
    assert any("9 a.m. EST on Monday, December 7, 2026" in m.text_body for m in host_mail)
