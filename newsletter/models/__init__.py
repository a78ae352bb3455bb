"""The newsletter's tables, one module per part of the domain.

``subscribers`` (nl-signup): subscribers, their segments (tags), consent records and the
suppression list; ``guide`` (nl-signup): the lead magnet and its downloads. Campaigns and
their deliveries live in their own module; ``bounces`` holds the provider's bounce and
complaint reports.
"""

from newsletter.models.bounces import BounceEvent
from newsletter.models.campaigns import Campaign, Delivery
from newsletter.models.guide import GuideDownload, LeadMagnet
from newsletter.models.subscribers import ConsentRecord, Subscriber, Suppression, Tag

__all__ = [
    "BounceEvent",
    "Campaign",
    "ConsentRecord",
    "Delivery",
    "GuideDownload",
    "LeadMagnet",
    "Subscriber",
    "Suppression",
    "Tag",
]
