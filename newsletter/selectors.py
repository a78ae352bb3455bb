"""Reads of the newsletter's subscribers and guide."""

from collections.abc import Collection
from datetime import timedelta

from django.db.models import QuerySet

from newsletter.addresses import address_normalise
from newsletter.models import LeadMagnet, Subscriber, Tag
from newsletter.tokens import Purpose, TokenData, token_read


def lead_magnet_active() -> LeadMagnet | None:
    """The guide the sign-up gives (at most one is active), or None if none is set up."""
    return LeadMagnet.objects.filter(active=True).first()


def subscriber_find(*, email: str) -> Subscriber | None:
    """The subscriber with this address, compared in its normal form."""
    return Subscriber.objects.filter(email=address_normalise(email)).first()


def subscriber_from_token(
    *, token: str, purpose: Purpose, max_age: timedelta | None = None
) -> tuple[Subscriber | None, TokenData | None]:
    """The subscriber a genuine token names, if she still has the address it was sent to.

    Returns ``(None, None)`` for a tampered token or one of another purpose, and
    ``(None, data)`` when the subscriber is gone (erased) or her address changed. An expired
    token is returned with ``data.fresh`` False; the caller decides what that means.
    """
    data = token_read(token, purpose=purpose, max_age=max_age)
    if data is None:
        return None, None
    subscriber = Subscriber.objects.filter(pk=data.subscriber_id).first()
    if subscriber is None or not data.matches(subscriber.email):
        return None, data
    return subscriber, data


def subscriber_sendable_list(*, tags: Collection[str] | None = None) -> QuerySet[Subscriber]:
    """Subscribers a campaign may be sent to: active, not paused, in the audience.

    ``tags``: slugs of segments; None or empty means the whole list. A subscriber in
    several of the tags appears once. Unsubscribed, bounced, complained and pending
    subscribers never appear; erased ones are gone from the table (only their HMAC stays).
    Ordered by id, so a sender can page through it with ``pk__gt``.
    """
    subscribers = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE, paused=False)
    if tags:
        tagged = Subscriber.tags.through.objects.filter(tag__slug__in=list(tags))
        subscribers = subscribers.filter(pk__in=tagged.values("subscriber_id"))
    return subscribers.order_by("pk")


def tag_public_list() -> QuerySet[Tag]:
    """The segments subscribers choose on their preferences page."""
    return Tag.objects.filter(public=True).order_by("name")
