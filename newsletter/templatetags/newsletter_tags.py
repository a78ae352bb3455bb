"""``{% signup_form_fields form as f %}``: the sign-up form for the C4 include."""

from django import template

from newsletter.forms import SignupForm

register = template.Library()


@register.simple_tag
def signup_form_fields(form: SignupForm | None = None) -> SignupForm:
    """The bound form when the page shows its errors, else a fresh one (ids unique per page)."""
    return form if isinstance(form, SignupForm) else SignupForm(auto_id="signup-%s")
