"""Phone numbers as the therapist dials them: parsed and checked by ``phonenumbers``, kept E.164."""

import phonenumbers
from django.core.exceptions import ValidationError

from practice.core.selectors import practice_profile

#: The region a number without a country code is read in when the practice's own number
#: does not say (it normally does: a visitor calling from home writes it like the practice's).
FALLBACK_REGION = "US"


def phone_e164(raw: str) -> str:
    """``raw`` as E.164 ("+12025550123"); raises ``ValidationError`` if it is not a number
    that can be called. A number without "+" is read in the practice's own region."""
    text = raw.strip()
    if not text:
        raise ValidationError("Enter the phone number we should call.", code="required")
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else default_region())
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            "Enter a phone number we can call, e.g. (202) 555-0123 or +44 20 7946 0018.",
            code="invalid",
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "That phone number does not look complete or valid. Please check it.",
            code="invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """An E.164 number written for people: national style for the practice's region,
    international otherwise ("(202) 555-0123", "+44 20 7946 0018")."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    national = phonenumbers.region_code_for_number(number) == default_region()
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if national
        else (phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    )
    return phonenumbers.format_number(number, style)


def default_region() -> str:
    """The region of the practice's phone number, e.g. "US"."""
    try:
        number = phonenumbers.parse(practice_profile().phone, FALLBACK_REGION)
    except phonenumbers.NumberParseException:
        return FALLBACK_REGION
    return phonenumbers.region_code_for_number(number) or FALLBACK_REGION
