"""The newsletter's fixed rules: link lifetimes and rate limits (allauth's rate syntax)."""

from datetime import timedelta

#: A confirmation link works this long (issue 8: 7 days).
CONFIRM_VALID = timedelta(days=7)
#: A guide download link works this long (issue 8: 30 days).
DOWNLOAD_VALID = timedelta(days=30)
#: An unconfirmed sign-up is deleted this long after its last confirmation email (the
#: expired link's page can offer a new one meanwhile); she never consented to more.
PENDING_KEPT = timedelta(days=30)

#: Rate limits in allauth's syntax ("amount/period/per", periods s, m, h, d).
#: ``ip`` counts one client address (``practice.core.client_address``); ``key`` one email
#: address. Beyond the per-IP limit the answer is 429; beyond the per-address limit the
#: answer stays the same and no email is sent (it would tell that the address was used).
RATE_LIMITS = {
    "signup": "10/m/ip,60/h/ip",
    "signup_address": "3/h/key,6/d/key",
    "link_request": "10/m/ip,60/h/ip",
    "link_request_address": "3/h/key,6/d/key",
}

#: Soft bounces (temporary failures: RFC 3463 status class 4, "persistent transient
#: failure"; anymail ``deferred``; Postmark's ``SoftBounce``/``Transient``/``DnsError``, e.g. a
#: full mailbox) suppress her only when they persist: at least ``SOFT_BOUNCE_LIMIT`` of them,
#: the first and the last at least ``SOFT_BOUNCE_SPAN`` apart, with no delivery reported
#: between them (a delivery clears the count, and lifts a suppression they made:
#: ``newsletter.bounces``). A hard bounce (class 5, "permanent failure")
#: or a complaint suppresses at once. Our rule, after the providers' practice of retrying
#: soft bounces for about three days before giving up on a message.
SOFT_BOUNCE_LIMIT = 3
SOFT_BOUNCE_SPAN = timedelta(hours=72)
