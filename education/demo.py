"""Demo articles: two series (hips and glutes; bone health), one scheduled, one draft, with
exercise embeds and hero images drawn here with Pillow. Idempotent: an article whose slug
exists is left as it is (edits made while trying the site survive a re-seed)."""

import io
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from education.models import Article, Series, Topic
from education.services import ArticleDraft, article_save
from practice.accounts.models import TherapistProfile

TOPICS = {
    "hips-and-glutes": (
        "Hips and glutes",
        "Strong hips and glutes for walking, stairs and balance.",
    ),
    "bone-health": ("Bone health", "Living well with osteopenia and osteoporosis."),
    "posture": ("Posture", "Standing and sitting tall without strain."),
    "balance-and-falls": ("Balance and falls", "Steady on your feet, indoors and out."),
}
SERIES = {
    "hips-and-glutes": ("Hips and glutes", "A short series on the muscles that carry you."),
    "bone-health-basics": ("Bone health basics", "What your bones need, in plain words."),
}


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    summary: str
    body: str
    topics: tuple[str, ...]
    series: str
    position: int
    colour: tuple[int, int, int]
    status: str = Article.Status.PUBLISHED
    days_ago: int = 0
    alt: str = ""


ARTICLES = [
    DemoArticle(
        slug="tight-hip-flexors",
        title="Tight hip flexors: why sitting pulls you forward",
        summary="Meet the iliopsoas, the deep muscle that shortens when we sit, and two gentle "
        "moves that let it lengthen again.",
        topics=("hips-and-glutes", "posture"),
        series="hips-and-glutes",
        position=1,
        colour=(13, 90, 97),
        days_ago=60,
        alt="A simple drawing of a hip joint with a curved band for the hip flexor muscle.",
        body="""\
If you sit for much of the day, the muscles at the front of your hips spend hours in a
shortened position. The biggest of them is the **iliopsoas**: two muscles, the iliacus and
the psoas, that join and attach to the top of your thigh bone.

When they stay short, they tug the pelvis forward. You may notice it as a stoop when you
first stand up, an ache in the low back, or shorter steps when you walk.

## Two moves to try today

First, loosen the hip with a gentle swing. Hold a counter or a sturdy chair, stand tall and
let one leg swing like a pendulum, forward and back, then side to side, for about a minute.
Then switch legs.

[[exercise:pendulum-leg-swings]]

Next, lengthen the front of the hip with a supported lunge stretch. Keep your back straight
and your tummy gently tight; you should feel the stretch at the front of the back hip, never
pain in the knee.

[[exercise:lunge-hip-flexor-stretch]]

## Move every hour

The best stretch is getting up. Set a timer and stand, walk to the window or the kettle,
once an hour. Your hips, and your bones, will thank you.
""",
    ),
    DemoArticle(
        slug="weak-glutes",
        title="Weak glutes: waking up the muscles that carry you",
        summary="Sitting can leave your buttock muscles sleepy. Here is why that matters for "
        "balance and two simple exercises to wake them up.",
        topics=("hips-and-glutes", "balance-and-falls"),
        series="hips-and-glutes",
        position=2,
        colour=(120, 60, 110),
        days_ago=40,
        alt="A drawing of a figure lying on a mat with the hips lifted in a bridge.",
        body="""\
Back when I wrote about [[article:tight-hip-flexors]], many of you asked about the other
side of the hip. Your glutes, the muscles of the buttocks, push you up from a chair, carry
you up stairs and catch you when you trip. Hours of sitting can leave them under-used, a
pattern some people call "dead butt syndrome".

## Bridges

Lie on your back with your knees bent and feet flat. Squeeze your buttocks and lift your
hips until your body makes a straight line from shoulders to knees. Lower slowly.

[[exercise:glute-bridge]]

## Clamshells

Lie on your side with your knees bent. Keeping your feet together, lift the top knee like a
clamshell opening, then lower it. You should feel it at the side of the hip.

[[exercise:clamshell]]

Start with what feels comfortable and add a few repetitions each week.
""",
    ),
    DemoArticle(
        slug="standing-tall",
        title="Standing tall: posture habits that protect your spine",
        summary="Small changes to how you sit, stand and lift that take strain off the spine.",
        topics=("posture", "bone-health"),
        series="hips-and-glutes",
        position=3,
        colour=(170, 110, 20),
        days_ago=20,
        alt="A drawing of a tall upright figure beside a bent one.",
        body="""\
Good posture is less about holding yourself stiffly and more about small habits.

- Sit with your hips a little higher than your knees.
- Bring things to you instead of bending to reach them.
- When you lift, bend at the hips and knees and keep the load close.

Tight hip flexors pull you forward (see [[article:tight-hip-flexors]]), and strong glutes
([[article:weak-glutes]]) help hold you upright.
""",
    ),
    DemoArticle(
        slug="what-is-osteoporosis",
        title="What osteoporosis means, in plain words",
        summary="What the bone density test measures, what the numbers mean, and what you can "
        "do about them.",
        topics=("bone-health",),
        series="bone-health-basics",
        position=1,
        colour=(60, 110, 60),
        days_ago=50,
        alt="A drawing of a bone with a honeycomb pattern inside.",
        body="""\
Bone is living tissue. All through life, old bone is broken down and new bone is built.
After menopause the balance tips, and bone can be lost faster than it is made.

A bone density scan (a DXA scan) compares your bones with those of a young adult. The
result is a **T-score**: -1 and above is normal, between -1 and -2.5 is *osteopenia*, and
-2.5 or below is *osteoporosis*.

The good news: bones respond to the right kind of exercise at any age, along with good
food, sunlight and sleep.
""",
    ),
    DemoArticle(
        slug="exercise-for-strong-bones",
        title="Exercise for strong bones: what helps and what to avoid",
        summary="Strength and balance work build and protect bone; some movements are better "
        "left out when bones are fragile.",
        topics=("bone-health", "balance-and-falls"),
        series="bone-health-basics",
        position=2,
        colour=(30, 70, 140),
        days_ago=10,
        alt="A drawing of a pair of light dumbbells and a balance line.",
        body="""\
After [[article:what-is-osteoporosis]], the next question is always: what should I do?

## What helps

- **Strength training** two or three days a week, slowly getting heavier.
- **Balance practice** most days: standing on one leg near a counter, heel-to-toe walking.
- **Walking** and other weight-bearing activity.

[[exercise:glute-bridge]]

## What to leave out with fragile bones

Rounding the spine forward under load (sit-ups, toe touches), twisting to the end of your
range, and jumping or high-impact moves. Ask your therapist how to adapt what you love.
""",
    ),
    DemoArticle(
        slug="balance-at-home",
        title="Five minutes of balance practice at home",
        summary="A short routine at the kitchen counter that makes a fall less likely.",
        topics=("balance-and-falls",),
        series="bone-health-basics",
        position=3,
        colour=(140, 40, 40),
        status=Article.Status.SCHEDULED,
        alt="A drawing of a figure standing on one leg beside a kitchen counter.",
        body="""\
Stand at a counter with both hands resting on it. Lift one foot a little off the floor and
hold for ten seconds. Switch sides. When that feels easy, rest just one hand on the counter.

[[exercise:pendulum-leg-swings]]
""",
    ),
    DemoArticle(
        slug="calcium-and-vitamin-d",
        title="Calcium and vitamin D: food first",
        summary="How much you need and where to find it on your plate.",
        topics=("bone-health",),
        series="",
        position=0,
        colour=(200, 160, 40),
        status=Article.Status.DRAFT,
        body="""\
*Draft.* Dairy, canned fish with bones, leafy greens, tofu set with calcium...
""",
    ),
]


def seed() -> None:
    """Make the demo topics, series and articles that do not exist yet."""
    author = TherapistProfile.objects.filter(user__is_superuser=True).order_by("pk").first()
    if author is None:
        return
    topics = {
        slug: Topic.objects.get_or_create(slug=slug, defaults={"name": n, "description": d})[0]
        for slug, (n, d) in TOPICS.items()
    }
    series = {
        slug: Series.objects.get_or_create(slug=slug, defaults={"title": t, "description": d})[0]
        for slug, (t, d) in SERIES.items()
    }
    now = timezone.now()
    for demo in ARTICLES:
        if Article.objects.filter(slug=demo.slug).exists():
            continue
        draft = ArticleDraft(
            title=demo.title,
            slug=demo.slug,
            summary=demo.summary,
            body=demo.body,
            author=author,
            status=demo.status,
            publish_at=now + timedelta(days=3) if demo.status == "scheduled" else None,
            topics=[topics[slug] for slug in demo.topics],
            series=series.get(demo.series),
            series_position=demo.position or None,
            hero_image=_hero(demo) if demo.alt else None,
            hero_alt=demo.alt,
        )
        saved = article_save(article=None, draft=draft, editor=author.user).article
        if demo.status == Article.Status.PUBLISHED:
            published = now - timedelta(days=demo.days_ago)
            Article.objects.filter(pk=saved.pk).update(published_at=published)


def _hero(demo: DemoArticle) -> SimpleUploadedFile:
    """A 1600 by 900 illustration: a coloured field with soft shapes (no text to translate)."""
    image = Image.new("RGB", (1600, 900), demo.colour)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 90) for c in demo.colour)
    dark = tuple(max(0, c - 40) for c in demo.colour)
    draw.ellipse((950, 150, 1500, 700), fill=light)
    draw.rounded_rectangle((150, 520, 900, 640), radius=60, fill=dark)
    draw.ellipse((300, 200, 560, 460), outline=light, width=24)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(f"{demo.slug}.png", buffer.getvalue(), content_type="image/png")
