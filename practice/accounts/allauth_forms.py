"""allauth's account-settings forms with labels in the site's own words.

Same fields, names and validation as allauth's; only the labels change, and the placeholders
(which repeated allauth's labels inside the boxes) go.
"""

from typing import Any, ClassVar

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp import forms as mfa_totp_forms
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import encrypt
from django import forms
from django.contrib.auth.hashers import make_password
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest, HttpResponse

from practice.accounts import ratelimits, selectors
from practice.accounts.forms import EMAIL_MAX_LENGTH, EMAIL_TOO_LONG
from practice.accounts.models import User, email_normalize
from practice.accounts.password_validation import PASSWORD_MAX_LENGTH, TOO_LONG

SAME_AGAIN_HELP = "So we can be sure there is no typing mistake."


class OwnLabelsMixin(forms.Form):
    labels: ClassVar[dict[str, str]] = {}
    help_texts: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            field = self.fields[name]
            field.label = label
            field.widget.attrs.pop("placeholder", None)
        for name, help_text in self.help_texts.items():
            self.fields[name].help_text = help_text


class EmailMaxLengthMixin(forms.Form):
    """allauth takes an address of any length, then cuts it to fit the database (or fails)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["email"]
        field.validators.append(MaxLengthValidator(EMAIL_MAX_LENGTH, EMAIL_TOO_LONG))
        field.widget.attrs["maxlength"] = str(EMAIL_MAX_LENGTH)


class PasswordMaxLengthMixin(forms.Form):
    """A password typed to be checked against her stored one is refused when it is longer
    than any password here may be, before anything hashes it: a megabyte sent as a password
    costs nothing. New passwords meet the same limit through AUTH_PASSWORD_VALIDATORS.
    """

    current_password_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.current_password_fields:
            field = self.fields[name]
            field.validators.append(MaxLengthValidator(PASSWORD_MAX_LENGTH, TOO_LONG))
            field.widget.attrs["maxlength"] = str(PASSWORD_MAX_LENGTH)


class AddEmailForm(EmailMaxLengthMixin, OwnLabelsMixin, allauth_forms.AddEmailForm):
    labels = {"email": "The email address to add"}


class ChangePasswordForm(PasswordMaxLengthMixin, OwnLabelsMixin, allauth_forms.ChangePasswordForm):
    current_password_fields = ("oldpassword",)
    labels = {
        "oldpassword": "Your current password",
        "password1": "Choose a new password",
        "password2": "Type the new password again",
    }
    help_texts = {"password2": SAME_AGAIN_HELP}


class SetPasswordForm(OwnLabelsMixin, allauth_forms.SetPasswordForm):
    labels = {"password1": "Choose a password", "password2": "Type the same password again"}
    help_texts = {"password2": SAME_AGAIN_HELP}


class ResetPasswordKeyForm(OwnLabelsMixin, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": "Choose a new password", "password2": "Type the new password again"}
    help_texts = {"password2": SAME_AGAIN_HELP}


class ReauthenticateForm(PasswordMaxLengthMixin, OwnLabelsMixin, allauth_forms.ReauthenticateForm):
    current_password_fields = ("password",)
    labels = {"password": "Your password"}


class LoginForm(PasswordMaxLengthMixin, OwnLabelsMixin, allauth_forms.LoginForm):
    current_password_fields = ("password",)
    labels = {
        "login": "Your email address",
        "password": "Your password",
        "remember": "Keep me logged in on this computer",
    }
    #: While signing in is paused: whole minutes until she can try again (for the page).
    pause_minutes: int | None = None

    def clean(self) -> dict[str, Any] | None:
        try:
            return super().clean()
        except forms.ValidationError as exc:
            if exc.code == "too_many_login_attempts":
                adapter = get_adapter(self.request)
                key = adapter._get_login_attempts_cache_key(  # allauth's key for the address
                    self.request, email=self.cleaned_data.get("login", "")
                )
                self.pause_minutes = ratelimits.login_pause_minutes_left(self.request, key=key)
            raise


class SignupForm(EmailMaxLengthMixin, OwnLabelsMixin, allauth_forms.SignupForm):
    labels = {
        "email": "Your email address",
        "password1": "Choose a password",
        "password2": "Type the same password again",
    }
    help_texts = {"password2": SAME_AGAIN_HELP}

    def validate_unique_email(self, value: str) -> str:
        """An address is taken only if an account owns it (see ``accounts.selectors``).

        allauth counts any unconfirmed address too, so whoever typed it first would keep its
        owner out. A taken address is answered as allauth does (enumeration prevention): the
        same page, and an email to the address instead of a new account.
        """
        self.account_already_exists = selectors.email_owner_get(email=value) is not None
        return get_adapter().validate_unique_email(value)

    def try_save(self, request: HttpRequest) -> tuple[User | None, HttpResponse | None]:
        """Hash the password even when no account is made, so both answers take as long.

        Hashing is by far the slowest step of a sign-up (PBKDF2 by design): without it, an
        address that already has an account would be told apart by the quicker answer.
        """
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)


class ResetPasswordForm(EmailMaxLengthMixin, OwnLabelsMixin, allauth_forms.ResetPasswordForm):
    labels = {"email": "Your email address"}

    def clean_email(self) -> str:
        """Only a confirmed address receives a link to choose a password.

        allauth also sends one to an unconfirmed address, so whoever reads that mailbox could
        take over the account of the person who typed it. Any other address gets allauth's
        email for an unknown address; the page looks the same either way.
        """
        email = super().clean_email()
        self.users = list(
            User.objects.filter(
                is_active=True,
                emailaddress__email=email_normalize(email),
                emailaddress__verified=True,
            ).distinct()
        )
        return email


class ActivateTOTPForm(mfa_totp_forms.ActivateTOTPForm):
    """allauth's form; the code that turns two-step sign-in on is used up, like a sign-in code.

    allauth marks a code used only when it signs someone in, so the code typed here would
    still sign in a second time (someone who saw it, and knows the password) for the rest
    of its 30 seconds.
    """

    def clean_code(self) -> str:
        code: str = super().clean_code()
        unsaved = Authenticator(
            user=self.user, type=Authenticator.Type.TOTP, data={"secret": encrypt(self.secret)}
        )
        if not TOTP(unsaved).validate_code(code):  # checks it again and marks it used
            raise get_mfa_adapter().validation_error("incorrect_code")
        return code
