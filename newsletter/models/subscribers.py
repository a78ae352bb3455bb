"""Subscribers, their segments, the evidence of their consent, and the suppression list.

A subscriber's address is stored normalised (``newsletter.addresses.address_normalise``:
trimmed, lower case) and is unique. Her status follows the list's life cycle:

``pending`` (signed up, not yet confirmed) -> ``active`` (confirmed, or imported with
consent evidence) -> ``unsubscribed`` / ``bounced`` / ``complained``. Only ``active`` and
not ``paused`` subscribers are sent campaigns (``newsletter.selectors.subscriber_sendable_list``).
"""

from django.db import models
from django.db.models import Q


class Tag(models.Model):
    """A segment of the list (``patient``, ``osteoporosis``); campaigns choose theirs by tag."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    #: Offered on the preferences page, where a subscriber picks the segments she wants.
    public = models.BooleanField(
        default=False,
        help_text="Shown on the preferences page, where subscribers choose their topics.",
    )
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "segment"

    def __str__(self) -> str:
        return self.name


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending confirmation"
        ACTIVE = "active", "Active"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Bounced"
        COMPLAINED = "complained", "Complained (marked as spam)"

    #: Statuses no campaign, welcome email or import ever changes back on its own.
    SUPPRESSED = (Status.UNSUBSCRIBED, Status.BOUNCED, Status.COMPLAINED)

    email = models.EmailField(max_length=254, unique=True)
    first_name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    #: She asked for a break: no campaigns until she resumes on the preferences page.
    paused = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, blank=True, related_name="subscribers")
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    #: The first request that opened her confirmation link: its time, IP and user agent.
    #: The issue confirms on GET, so this may be her mail provider's link scanner, which
    #: opens links before she does; the sign-up's own IP and user agent are in her consent
    #: record. Later clicks never overwrite it.
    confirmed_at = models.DateTimeField("confirmation link first opened", null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField(
        "IP that first opened the link",
        null=True,
        blank=True,
        help_text="May be a mail scanner's; the sign-up's IP is in the consent record.",
    )
    confirmed_user_agent = models.CharField(
        "user agent that first opened the link",
        max_length=500,
        blank=True,
        help_text="May be a mail scanner's; the sign-up's is in the consent record.",
    )
    #: The latest delivery the provider reported: soft bounces before it no longer count.
    soft_bounces_cleared_at = models.DateTimeField(null=True, blank=True)
    #: While soft bounces hold her ``bounced``: the status she would have without them (the
    #: one they suppressed, or ``unsubscribed`` if she unsubscribed since), which a later
    #: reported delivery gives back (``newsletter.bounces``). Empty otherwise: a hard bounce,
    #: a complaint or an unsubscribe is never lifted by a delivery.
    status_without_soft_bounces = models.CharField(
        "status a later delivery gives back",
        max_length=12,
        choices=Status.choices,
        blank=True,
        help_text="Set only while repeated soft bounces suppress her.",
    )
    #: The last confirmation email sent (a re-submission sends a new one at most so often).
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "paused"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower("email")),
                name="newsletter_subscriber_email_lower",
            )
        ]

    def __str__(self) -> str:
        return self.email


class ConsentRecord(models.Model):
    """Evidence of one consent: the form she filled in, or what the importer vouched for."""

    class Method(models.TextChoices):
        FORM = "form", "Sign-up form"
        API = "api", "API"
        IMPORT = "import", "Import with consent evidence"
        PREFERENCES = "preferences", "Resubscribed on the preferences page"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    method = models.CharField(max_length=12, choices=Method.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    #: The page or context she signed up from (``home``, ``guide``, ``article:weak-glutes``).
    source = models.CharField(max_length=200, blank=True)
    #: The version of the consent wording shown (``newsletter.consent.CONSENT_WORDINGS``).
    wording_version = models.CharField(max_length=20, blank=True)
    #: The wording itself as shown, or the importer's evidence.
    wording = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.created_at:%Y-%m-%d}"


class Suppression(models.Model):
    """An address that must never be imported again, kept only as a keyed HMAC.

    Written when a subscriber's data is erased on request (``subscriber_erase``); an import
    skips an address whose HMAC is here. Signing up again on the form, with double opt-in,
    is her own new consent and lifts it.
    """

    address_hmac = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=40, default="erased")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.reason} {self.created_at:%Y-%m-%d}"
