"""Our own password rule, beside Django's in AUTH_PASSWORD_VALIDATORS."""

from django.core.exceptions import ValidationError

#: NIST SP 800-63B (section 5.1.1.2) and OWASP's Authentication Cheat Sheet ask sites to
#: allow at least 64 characters; password managers generate at most 100 to 128, and a
#: passphrase of ten long words is under 150. A thousand leaves room for anything a person
#: chooses, while every check of a password (hashing it at each login, comparing it with
#: her name and email) stays a small, bounded amount of work however much a visitor sends.
PASSWORD_MAX_LENGTH = 1000
TOO_LONG = f"That password is too long: please use at most {PASSWORD_MAX_LENGTH:,} characters."


class MaximumLengthValidator:
    """Refuses a password longer than PASSWORD_MAX_LENGTH characters."""

    def validate(self, password: str, user: object = None) -> None:
        if len(password) > PASSWORD_MAX_LENGTH:
            raise ValidationError(TOO_LONG, code="password_too_long")

    def get_help_text(self) -> str:
        return f"Your password can be up to {PASSWORD_MAX_LENGTH:,} characters long."
