"""Demo data: the guide (its PDF drawn by WeasyPrint), the segments, and one sent campaign
in the public archive."""

from django.core.files.base import ContentFile
from django.utils import timezone

from newsletter.campaign_emails import campaign_body_html
from newsletter.guide_pdf import GUIDE_FILENAME, GUIDE_TITLE, guide_pdf_render
from newsletter.models import Campaign, LeadMagnet, Tag
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


CAMPAIGN_SUBJECT = "Three small habits for steadier steps this winter"
CAMPAIGN_PREHEADER = "Warm-ups, good light and the right boots"
CAMPAIGN_BODY = """\
Cold mornings and dark afternoons make falls more likely, and a fall is what breaks a
fragile bone. Three habits help you stay steady on your feet.

## Warm up before you head out

Stiff ankles and hips react slowly. Before you go out, hold the back of a chair and rise
onto your toes ten times, then march on the spot for a minute.

## Light your way

Put a night light between the bedroom and the bathroom, and switch the hall light on
before you take the stairs. Keep one hand on the rail, every time.

## Choose boots that grip

Look for a low, wide heel and a soft sole with a deep tread. On ice, take short, flat
steps with your knees slightly bent.

If you have had a fall or worry about one, ask us about a balance check at your next visit.
"""


def seed() -> None:
    """Make the demo guide if there is none (its PDF rendered afresh), the segments, and a
    sent campaign for the archive (sent to nobody: the demo list is empty)."""
    for name, slug, public, description in TAGS:
        Tag.objects.update_or_create(
            slug=slug, defaults={"name": name, "public": public, "description": description}
        )
    _campaign_seed()
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


def _campaign_seed() -> None:
    if Campaign.objects.filter(subject=CAMPAIGN_SUBJECT).exists():
        return
    sent_at = timezone.now()
    campaign = Campaign(
        subject=CAMPAIGN_SUBJECT,
        preheader=CAMPAIGN_PREHEADER,
        body=CAMPAIGN_BODY,
        status=Campaign.Status.SENT,
        started_at=sent_at,
        finished_at=sent_at,
    )
    campaign.body_html = campaign_body_html(campaign)
    campaign.save()
    public_pages_changed()  # the archive lists it now
