"""Template helpers of the patient portal and the therapist's monitoring pages."""

from decimal import Decimal

from django import template

from exercises.dosage import Dose, dose_text
from exercises.models import ProgramItem

register = template.Library()


@register.filter
def dose_words(item: ProgramItem) -> str:
    """A program item's dose in plain words ("Hold 15 seconds, 3 times on each side, ...")."""
    return dose_text(Dose.of(item))


@register.filter
def sessions(value: Decimal | None) -> str:
    """A number of sessions without needless decimals: 2, 0.43."""
    if value is None:
        return "0"
    return f"{value.normalize():f}"
