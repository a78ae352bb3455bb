from django import forms
from django.contrib.auth.forms import SetPasswordForm

from practice.accounts.models import email_normalize

#: The longest an email address can be (RFC 5321), and all that our database keeps of one.
EMAIL_MAX_LENGTH = 254
EMAIL_TOO_LONG = (
    "This email address is too long: an email address has at most 254 characters. "
    "Please check it for a typing mistake."
)


class PatientInviteForm(forms.Form):
    full_name = forms.CharField(
        label="Her full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="Her email address",
        help_text="We will email her a link to choose her password.",
        max_length=EMAIL_MAX_LENGTH,
        error_messages={"max_length": EMAIL_TOO_LONG},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def clean_email(self) -> str:
        """As it is stored (lowercase), so every message names the address the same way."""
        return email_normalize(self.cleaned_data["email"])


class InviteAcceptForm(SetPasswordForm):
    """Django's own set-password form and validators, in friendlier words."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "Type the same password again"
        self.fields["new_password2"].help_text = "So we can be sure there is no typing mistake."
