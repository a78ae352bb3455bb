"""The therapist's patients list, kept whole per therapist and version.

Rendering 200 rows of adherence and pain costs about a hundred times a bare Django view; the
rows change only when something is written (a session logged, a flag raised...) or a day
turns over in a patient's zone. So the rendered page is kept in this process
(``practice.core.kept_pages``) under a key that changes with all of it
(``exercises.monitor_version``):

    (her list's version, her patients' fingerprint, her monitoring settings,
     today in each of her patients' zones)

read in one query on every view, so a change committed by any process shows on the next
view in every process: exact, no expiry needed. The page is kept per therapist (the owner)
with her id in the layout's part of the key: it is only ever served to her. The view is
audited every time, whether the page was kept or rendered, by that same query (before the
page is rendered: a view that then fails is still on record).

Why in this process rather than in Redis: a hit then costs no network round trip and no
unpickling of about 60 KB of HTML; the version check is a database read the view makes
anyway (her settings).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from exercises.adherence import monitor_patient_rows
from exercises.monitor_version import monitor_state
from practice.accounts.models import TherapistProfile
from practice.audit.models import AuditEvent
from practice.audit.services import audit_event
from practice.core.kept_pages import render_kept

TEMPLATE = "exercises/monitor_list.html"


def monitor_list_page(*, request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    """Her patients list, kept until anything it shows changes; audited as one view of her
    patients' adherence and pain either way."""
    audit = audit_event(
        actor=therapist.user, patient=None, action=AuditEvent.Action.VIEW, request=request
    )
    state = monitor_state(therapist=therapist, audit=audit)
    now = timezone.now()
    key = None
    if state.cacheable:
        thresholds = state.thresholds
        key = (
            state.version,
            state.people or "",
            (thresholds.safe_max, thresholds.acceptable_max, thresholds.rise_points,
             thresholds.missed_days),
            state.local_days(now),
        )  # fmt: skip

    def build() -> dict[str, Any]:
        patients = monitor_patient_rows(
            therapist=therapist, thresholds=state.thresholds, zones=state.zones, now=now
        )
        return {"patients": patients, "therapist": therapist}

    return render_kept(request, TEMPLATE, build, owner=("exercises:monitor", therapist.pk), key=key)
