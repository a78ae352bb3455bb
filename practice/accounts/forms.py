from django import forms
from django.contrib.auth.forms import SetPasswordForm


class PatientInviteForm(forms.Form):
    full_name = forms.CharField(
        label="Her full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label="Her email address",
        help_text="We will email her a link to choose her password.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class InviteAcceptForm(SetPasswordForm):
    """Django's own set-password form and validators, in friendlier words."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Choose a password"
        self.fields["new_password2"].label = "Type the same password again"
        self.fields["new_password2"].help_text = "So we can be sure there is no typing mistake."
