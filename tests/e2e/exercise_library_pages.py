"""Exercise library and program pages for the accessibility scan, each with real content."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from exercises.models import Condition, ConditionPrecaution, PrecautionFlag
from exercises.prescribing import patient_condition_add, template_create
from practice.accounts.models import User
from tests.exercises.helpers import exercise_make, item_of, picture_add, program_make

Scenario = Callable[[Page, User, User], None]
Login = Callable[..., None]


def _library() -> None:
    bridge = exercise_make(name="Glute bridge", summary="Lift your hips.", cues=["Breathe."])
    picture_add(bridge, alt="Lying on her back, hips lifted")
    swings = exercise_make(
        name="Pendulum leg swings", kind="dynamic_stretch", reps=None, duration_seconds=60,
        side="both", sets=1, flags=("BALANCE_UNSUPPORTED",),
    )  # fmt: skip
    swings.progressions.set([bridge])


def library_pages(*, therapist_login: Login, patient_login: Login) -> dict[str, Scenario]:
    def visitor(path: str) -> Scenario:
        def scenario(page: Page, therapist: User, patient: User) -> None:
            _library()
            page.goto(path)

        return scenario

    def therapist_at(path_of: Callable[[User, User], str]) -> Scenario:
        def scenario(page: Page, therapist: User, patient: User) -> None:
            _library()
            path = path_of(therapist, patient)
            therapist_login(page, therapist)
            page.goto(path)

        return scenario

    def program_of(therapist: User, patient: User) -> int:
        return program_make(therapist=therapist, patient=patient).pk

    def warned(therapist: User, patient: User) -> str:
        # Made here: a transactional test's flush removes the rows the migration made.
        flag, _ = PrecautionFlag.objects.get_or_create(
            code="BEND_TWIST_LIFT", defaults={"name": "Bending and twisting while lifting"}
        )
        condition, _ = Condition.objects.get_or_create(
            code="osteoporosis", defaults={"name": "Osteoporosis"}
        )
        ConditionPrecaution.objects.get_or_create(condition=condition, flag=flag)
        patient_condition_add(
            therapist=therapist.therapist_profile, patient=patient, condition=condition
        )
        lift = exercise_make(name="Basket lift", flags=("BEND_TWIST_LIFT",))
        template = template_create(
            owner=therapist.therapist_profile, name="Lifting", items=[item_of(lift)]
        )
        return f"/programs/patients/{patient.pk}/new/?template={template.pk}"

    def patient_program(page: Page, therapist: User, patient: User) -> None:
        program = program_make(therapist=therapist, patient=patient)
        patient_login(page, patient.email)
        page.goto(f"/programs/{program.pk}/")

    def try_it_running(page: Page, therapist: User, patient: User) -> None:
        visitor("/exercises/pendulum-leg-swings/")(page, therapist, patient)
        page.get_by_role("button", name="Start", exact=True).click()
        expect(page.locator("[data-role=phase]")).to_contain_text("Left side")

    return {
        "visitor-exercise-library": visitor("/exercises/"),
        "visitor-exercise-library-none-found": visitor("/exercises/?q=zzz"),
        "visitor-exercise-page": visitor("/exercises/glute-bridge/"),
        "visitor-exercise-try-it-running": try_it_running,
        "patient-program": patient_program,
        "therapist-exercise-library": therapist_at(lambda t, p: "/exercises/manage/"),
        "therapist-exercise-new": therapist_at(lambda t, p: "/exercises/manage/new/"),
        "therapist-exercise-edit": therapist_at(
            lambda t, p: f"/exercises/manage/{exercise_make(name='Clamshell').pk}/"
        ),
        "therapist-precautions": therapist_at(lambda t, p: "/exercises/manage/precautions/"),
        "therapist-templates": therapist_at(lambda t, p: "/programs/templates/"),
        "therapist-template-new": therapist_at(lambda t, p: "/programs/templates/new/"),
        "therapist-prescribe": therapist_at(lambda t, p: f"/programs/patients/{p.pk}/new/"),
        "therapist-prescribe-with-warning": therapist_at(warned),
        "therapist-patient-conditions": therapist_at(
            lambda t, p: f"/programs/patients/{p.pk}/conditions/"
        ),
        "therapist-program": therapist_at(lambda t, p: f"/programs/{program_of(t, p)}/"),
        "therapist-program-revise": therapist_at(
            lambda t, p: f"/programs/{program_of(t, p)}/revise/"
        ),
    }
