"""The demo guide's PDF, "8 Lifestyle Changes for Better Bone Health", drawn by WeasyPrint.

``seed_demo`` stores it as the active guide (``newsletter/demo.py``); a practice replaces it
with its own PDF in the admin.
"""

from django.template.loader import render_to_string
from weasyprint import HTML

from practice.core.selectors import practice_profile

GUIDE_TITLE = "8 Lifestyle Changes for Better Bone Health"
GUIDE_FILENAME = "8-lifestyle-changes-for-better-bone-health.pdf"


def guide_pdf_render() -> bytes:
    """The guide as PDF bytes (A4-agnostic: US Letter pages, fonts from the system)."""
    html = render_to_string(
        "newsletter/guide_pdf.html", {"title": GUIDE_TITLE, "practice": practice_profile()}
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
