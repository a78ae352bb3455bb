"""allauth's account-settings forms with labels in the site's own words.

Same fields, names and validation as allauth's; only the labels change, and the placeholders
(which repeated allauth's labels inside the boxes) go.
"""

from typing import Any, ClassVar

from allauth.account import forms as allauth_forms
from django import forms
from django.core.validators import MaxLengthValidator

from practice.accounts.forms import EMAIL_MAX_LENGTH, EMAIL_TOO_LONG
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


class SignupForm(EmailMaxLengthMixin, OwnLabelsMixin, allauth_forms.SignupForm):
    labels = {
        "email": "Your email address",
        "password1": "Choose a password",
        "password2": "Type the same password again",
    }
    help_texts = {"password2": SAME_AGAIN_HELP}


class ResetPasswordForm(EmailMaxLengthMixin, OwnLabelsMixin, allauth_forms.ResetPasswordForm):
    labels = {"email": "Your email address"}
