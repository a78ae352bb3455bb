"""The therapist's patients list: its rendered rows, kept per therapist and version.

Rendering 200 rows of adherence and pain costs about a hundred times a bare Django view; the
rows change only when something is written (a session logged, a flag raised...) or a day
turns over in a patient's zone. So the rendered rows are kept in this process under a key
that changes with all of it (``exercises.monitor_version``):

    (therapist id, her list's version, her patients' fingerprint, her monitoring settings,
     today in each of her patients' zones)

read in one query on every view, so a change committed by any process shows on the next
view in every process: exact, no expiry needed. The therapist's id is in the key: rows are
only ever served to the therapist they were rendered for. The view is audited every time,
whether the rows were kept or rendered.

Why in this process rather than in Redis: a hit then costs no network round trip and no
unpickling of about 100 KB of HTML; the version check is a database read the view makes
anyway (her settings). The store holds at most ``MAX_BYTES`` of rows, least recently used
out first, and one version per therapist (storing a new one drops the older ones).
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from exercises.adherence import monitor_list_audit, monitor_patient_rows
from exercises.monitor_version import monitor_state
from practice.accounts.models import TherapistProfile

#: The most the store holds, in characters of rendered rows (about bytes: the rows are ASCII
#: but for names). 200 rows are about 120,000.
MAX_BYTES = 16 * 1024 * 1024

RowsKey = tuple[int, int | None, str, tuple[float, ...], tuple[tuple[str, date], ...]]


@dataclass(frozen=True)
class MonitorRows:
    """Her patients' rows as HTML (``<tr>`` elements, safe) and how many there are."""

    html: SafeString
    count: int


class RowsStore:
    """A thread-safe LRU of rendered rows, bounded by ``max_bytes``."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._rows: OrderedDict[RowsKey, MonitorRows] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: RowsKey) -> MonitorRows | None:
        with self._lock:
            rows = self._rows.get(key)
            if rows is not None:
                self._rows.move_to_end(key)
            return rows

    def put(self, key: RowsKey, rows: MonitorRows) -> None:
        size = len(rows.html)
        if size > self.max_bytes:
            return
        with self._lock:
            for old in [k for k in self._rows if k[0] == key[0]]:  # her older versions
                self._size -= len(self._rows.pop(old).html)
            self._rows[key] = rows
            self._size += size
            while self._size > self.max_bytes:
                _, dropped = self._rows.popitem(last=False)
                self._size -= len(dropped.html)

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()
            self._size = 0


store = RowsStore()


def monitor_rows(*, therapist: TherapistProfile, request: HttpRequest | None = None
                 ) -> MonitorRows:  # fmt: skip
    """Her patients' rows, from the store when nothing they show changed since they were
    rendered; audited as one view of her patients' adherence and pain either way."""
    state = monitor_state(therapist=therapist)
    now = timezone.now()
    key: RowsKey | None = None
    rows: MonitorRows | None = None
    if state.cacheable:
        thresholds = state.thresholds
        key = (
            therapist.pk,
            state.version,
            state.people or "",
            (thresholds.safe_max, thresholds.acceptable_max, thresholds.rise_points,
             thresholds.missed_days),
            state.local_days(now),
        )  # fmt: skip
        rows = store.get(key)
    if rows is None:
        patients = monitor_patient_rows(
            therapist=therapist, thresholds=state.thresholds, zones=state.zones, now=now
        )
        html = render_to_string("exercises/monitor_rows.html", {"patients": patients})
        rows = MonitorRows(html=mark_safe(html), count=len(patients))  # noqa: S308 (rendered)
        if key is not None:
            store.put(key, rows)
    monitor_list_audit(therapist=therapist, count=rows.count, request=request)
    return rows
