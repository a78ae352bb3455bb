"""The printable handout of a home program: a PDF made with WeasyPrint from the same
template family as the site (``templates/exercises/handout.html``), in large type for older
readers, with a QR code (segno) that opens the program on her phone.

Verbal plus illustrated handouts beat either alone (Schoo & Morris 2003; CLINICAL.md §8).
"""

import io
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import Image

from exercises.dosage import Dose, dose_text
from exercises.models import Program
from practice.core.selectors import practice_profile

if TYPE_CHECKING:
    import weasyprint

STYLESHEET = "exercises/handout.css"


@cache
def _stylesheet() -> "weasyprint.CSS":
    """The handout's stylesheet, parsed once per process."""
    import weasyprint  # seconds to import: only a handout pays for it, not every page

    path = finders.find(STYLESHEET)
    assert isinstance(path, str), f"static file {STYLESHEET} is missing"
    return weasyprint.CSS(filename=path)


#: Pictures in the handout: at most this many pixels on a side (about 150 dpi at the
#: printed size), as JPEG, which WeasyPrint embeds as it is instead of re-encoding.
PRINT_SIDE = 900


def _print_copy(name: str) -> str:
    """A file URI of the picture's print copy (made once, kept beside it in the storage)."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    copy = f"exercises/print/{stem}-{PRINT_SIDE}.jpg"
    if not default_storage.exists(copy):
        with default_storage.open(name, "rb") as source, Image.open(source) as picture:
            picture.thumbnail((PRINT_SIDE, PRINT_SIDE))
            out = io.BytesIO()
            picture.convert("RGB").save(out, format="JPEG", quality=80)
        copy = default_storage.save(copy, ContentFile(out.getvalue()))
    return Path(default_storage.path(copy)).as_uri()


def program_handout_pdf(*, program: Program) -> bytes:
    """The handout of ``program`` (its items and exercises prefetched) as PDF bytes.

    The QR code holds the program's address on the site (``SITE_URL``).
    """
    url = f"{settings.SITE_URL}{program.get_absolute_url()}"
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
    items = []
    for item in program.items.all():
        images = [
            (_print_copy(i.image.name or ""), i.alt_text) for i in item.exercise.images.all()[:2]
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
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(stylesheets=[_stylesheet()])
