"""Signal receivers of accounts, connected in ``AccountsConfig.ready``."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from practice.accounts import services
from practice.accounts.models import PatientInvite, User


@receiver(post_save, sender=User, dispatch_uid="accounts.invites_end_with_a_password")
def invites_end_with_a_password(
    sender: type[User],
    instance: User,
    raw: bool,
    update_fields: frozenset[str] | None,
    **kwargs: Any,
) -> None:
    """A saved account with a usable password ends its open invites, recorded for good.

    Here, where every password is saved, rather than in each route that sets one (allauth's
    reset, change and set; the invite; the admin's password page; ``changepassword``; the
    shell): a route added later cannot forget it. Saves that leave the password alone
    (``update_fields`` without it, e.g. the last login) are skipped; fixtures are loaded as is.
    """
    if raw or (update_fields is not None and "password" not in update_fields):
        return
    if instance.has_usable_password():
        services.patient_invites_end(patient=instance, status=PatientInvite.Status.NOT_NEEDED)
