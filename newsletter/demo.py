"""Demo data: the guide (its PDF drawn by WeasyPrint) and two segments."""

from django.core.files.base import ContentFile

from newsletter.guide_pdf import GUIDE_FILENAME, GUIDE_TITLE, guide_pdf_render
from newsletter.models import LeadMagnet, Tag
from practice.core.page_cache import public_pages_changed

GUIDE_DESCRIPTION = (
    "Eight practical changes, from what is on your plate to how you move through your day, "
    "that help your bones stay strong. Each one is explained in plain words, with a small "
    "step you can start this week."
)
TAGS = [
    ("Patient", "patient", False, ""),
    ("Osteoporosis", "osteoporosis", True, "Living well with osteoporosis or osteopenia"),
    ("Balance and falls", "balance", True, "Staying steady on your feet"),
]


def seed() -> None:
    """Make the demo guide if there is none (its PDF rendered afresh), and the segments."""
    for name, slug, public, description in TAGS:
        Tag.objects.update_or_create(
            slug=slug, defaults={"name": name, "public": public, "description": description}
        )
    guide = LeadMagnet.objects.filter(title=GUIDE_TITLE).first()
    if guide is not None and guide.pdf and guide.pdf.storage.exists(str(guide.pdf.name)):
        return
    if guide is None:
        LeadMagnet.objects.filter(active=True).update(active=False)
        guide = LeadMagnet(title=GUIDE_TITLE, filename=GUIDE_FILENAME, active=True)
    guide.description = GUIDE_DESCRIPTION
    guide.pdf.save(GUIDE_FILENAME, ContentFile(guide_pdf_render()), save=False)
    guide.save()
    public_pages_changed()
