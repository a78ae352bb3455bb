"""Sign-ups and link requests, processed off the request so the answer's timing tells nothing.

These two tasks take the submitted form data rather than a row id: no row may be written
while the visitor waits, or a new address would answer more slowly than a known one.
Both are idempotent enough to retry: a sign-up retried sends at most one more confirmation,
within the per-address limit.
"""

from celery import shared_task

from newsletter import (
    campaign_tasks,  # noqa: F401 (registers the campaign tasks)
    ratelimits,
    services,
)
from newsletter.services import ConsentEvidence


@shared_task(name="newsletter.signup", ignore_result=True)
def signup_process(
    *,
    email: str,
    first_name: str,
    method: str,
    ip_address: str | None,
    user_agent: str,
    source: str,
    wording_version: str,
) -> None:
    if not ratelimits.address_allows(action="signup", email=email):
        return
    services.subscriber_signup(
        email=email,
        first_name=first_name,
        evidence=ConsentEvidence(
            method=method,
            ip_address=ip_address,
            user_agent=user_agent,
            source=source,
            wording_version=wording_version,
        ),
    )


@shared_task(name="newsletter.link_request", ignore_result=True)
def link_request_process(*, email: str) -> None:
    if ratelimits.address_allows(action="link_request", email=email):
        services.guide_link_request(email=email)
