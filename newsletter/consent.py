"""The consent wording shown beside the sign-up checkbox, versioned.

Each consent record stores the version and the text shown. Change the wording by adding a
new version and pointing ``CURRENT`` at it; never edit a published one (a page cached before
the change still posts its own version, which is recorded as shown).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ConsentWording:
    version: str
    text: str


WORDINGS: dict[str, ConsentWording] = {
    w.version: w
    for w in [
        ConsentWording(
            version="2026-11",
            text=(
                "Yes, email me the free guide and the practice's newsletter (about one email "
                "a month). I can unsubscribe at any time with one click."
            ),
        ),
    ]
}
CURRENT = WORDINGS["2026-11"]


def consent_wording(version: str) -> ConsentWording:
    """The wording of ``version``; the current one when the version is unknown or empty."""
    return WORDINGS.get(version, CURRENT)
