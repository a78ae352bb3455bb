"""``{% signup_form_fields form id_prefix as f %}``: the sign-up form for the C4 include."""

from django import template

from newsletter.forms import SignupForm

register = template.Library()


@register.simple_tag
def signup_form_fields(form: SignupForm | None = None, id_prefix: str = "") -> SignupForm:
    """The bound form when the page shows its errors, else a fresh one.

    ``id_prefix`` keeps the fields' ids unique when a page holds two sign-up forms (the
    page's own and the footer's).
    """
    if isinstance(form, SignupForm):
        return form
    return SignupForm(auto_id=f"{id_prefix or 'signup'}-%s")
