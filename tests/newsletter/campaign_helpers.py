"""Subscribers and campaigns for the campaign tests, made directly in the tables."""

from collections.abc import Iterable

from newsletter.campaigns import campaign_create
from newsletter.models import Campaign, Subscriber, Tag


def subscribers_make(
    count: int,
    *,
    prefix: str = "reader",
    status: str = Subscriber.Status.ACTIVE,
    tags: Iterable[Tag] = (),
) -> list[Subscriber]:
    made = Subscriber.objects.bulk_create(
        Subscriber(email=f"{prefix}{n}@example.com", first_name=f"Reader {n}", status=status)
        for n in range(count)
    )
    tags = list(tags)
    if tags:
        for subscriber in made:
            subscriber.tags.set(tags)
    return made


def tag_make(name: str) -> Tag:
    return Tag.objects.create(name=name, slug=name.lower().replace(" ", "-"))


def campaign_make(**fields: object) -> Campaign:
    arguments: dict[str, object] = {
        "subject": "Five ways to build bone this spring",
        "preheader": "Small steps, strong bones",
        "body": (
            "## Walk every day\n\nA brisk **walk** loads your hips.\n\n- Stand tall\n- Step out"
        ),
    }
    arguments.update(fields)
    return campaign_create(**arguments)  # type: ignore[arg-type]
