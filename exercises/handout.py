"""The printable handout of a home program: a PDF made with WeasyPrint from the same
template family as the site (``templates/exercises/handout.html``), in large type for older
readers, with a QR code (segno) that opens the program on her phone.

Verbal plus illustrated handouts beat either alone (Schoo & Morris 2003; CLINICAL.md §8).
"""

from pathlib import Path

import segno
import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from exercises.dosage import Dose, dose_text
from exercises.models import Program
from practice.core.selectors import practice_profile

STYLESHEET = "exercises/handout.css"


def _stylesheet() -> weasyprint.CSS:
    path = finders.find(STYLESHEET)
    assert isinstance(path, str), f"static file {STYLESHEET} is missing"
    return weasyprint.CSS(filename=path)


def _image_uri(name: str) -> str:
    """A stored picture as a file URI WeasyPrint reads from disk (no request to ourselves)."""
    return Path(default_storage.path(name)).as_uri()


def program_handout_pdf(*, program: Program) -> bytes:
    """The handout of ``program`` (its items and exercises prefetched) as PDF bytes.

    The QR code holds the program's address on the site (``SITE_URL``).
    """
    url = f"{settings.SITE_URL}{program.get_absolute_url()}"
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    items = []
    for item in program.items.all():
        images = [
            (_image_uri(i.image.name or ""), i.alt_text) for i in item.exercise.images.all()[:2]
        ]
        items.append(
            {
                "item": item,
                "exercise": item.exercise,
                "dose_text": dose_text(Dose.of(item), weeks=program.weeks),
                "images": images,
            }
        )
    html = render_to_string(
        "exercises/handout.html",
        {
            "program": program,
            "items": items,
            "practice": practice_profile(),
            "therapist": program.therapist,
            "qr": qr,
            "url": url,
            "printed_on": timezone.localdate(),
        },
    )
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(stylesheets=[_stylesheet()])
