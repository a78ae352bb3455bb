"""A service's ``ValidationError`` shown on the form that sent its input."""

from django import forms
from django.core.exceptions import ValidationError


def form_errors_add(form: forms.BaseForm, error: ValidationError) -> None:
    """Put ``error`` on ``form``: a message for a field the form has goes under that field,
    any other (a field it does not have, or no field at all) at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
