import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.test import Client

from practice.accounts.demo import DEMO_PASSWORD
from practice.accounts.models import PatientProfile, TherapistProfile, User
from practice.core.models import PracticeProfile

pytestmark = pytest.mark.django_db

MODELS = [User, TherapistProfile, PatientProfile, EmailAddress, PracticeProfile]


def seed(capsys, *args: str) -> str:
    call_command("seed_demo", *args)
    return capsys.readouterr().out


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_is_idempotent(capsys, settings):
    settings.DEBUG = True

    first = seed(capsys)
    after_first = counts()
    second = seed(capsys)

    assert counts() == after_first
    assert after_first == {
        "User": 2,
        "TherapistProfile": 1,
        "PatientProfile": 1,
        "EmailAddress": 2,
        "PracticeProfile": 1,
    }
    for output in (first, second):
        assert "Demo data is ready" in output


def test_demo_people_and_their_roles(settings, capsys):
    settings.DEBUG = True
    seed(capsys)

    therapist = User.objects.get(email="therapist@example.com")
    patient = User.objects.get(email="patient@example.com")
    assert therapist.is_therapist
    assert therapist.is_superuser
    assert therapist.is_staff
    assert patient.is_patient
    assert not patient.is_staff
    assert patient.patient_profile.therapist == therapist.therapist_profile
    assert "osteoporosis" in therapist.therapist_profile.bio
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 2


@pytest.mark.parametrize("email", ["therapist@example.com", "patient@example.com"])
def test_demo_logins_work_through_the_login_form(settings, capsys, email):
    settings.DEBUG = True
    seed(capsys)
    client = Client()

    response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=email).pk)


def test_seed_demo_refuses_without_debug_unless_forced(settings, capsys):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert User.objects.count() == 0

    output = seed(capsys, "--force")
    assert "Demo data is ready" in output
    assert User.objects.filter(email="patient@example.com").exists()


def test_seed_demo_keeps_practice_profile_edits(settings, capsys):
    settings.DEBUG = True
    seed(capsys)
    PracticeProfile.objects.filter().update(name="Edited In The Admin")

    seed(capsys)

    assert PracticeProfile.objects.get().name == "Edited In The Admin"


def test_demo_logins_prints_the_address_and_every_demo_login(settings, capsys):
    settings.DEBUG = True
    seed(capsys)

    call_command("demo_logins", "--url", "http://127.0.0.1:8765/")
    lines = capsys.readouterr().out.splitlines()

    assert "The site runs at http://127.0.0.1:8765/ (Ctrl-C stops it)." in lines
    assert f"therapist@example.com / {DEMO_PASSWORD}" in lines
    assert f"patient@example.com / {DEMO_PASSWORD}" in lines
    assert any("two-factor" in line for line in lines)


def test_demo_logins_says_how_to_make_them_when_there_is_no_demo_data(capsys):
    call_command("demo_logins", "--url", "http://127.0.0.1:8000/")
    output = capsys.readouterr().out

    assert DEMO_PASSWORD not in output
    assert "manage.py seed_demo" in output
