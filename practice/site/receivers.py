"""Signal receivers of the site, connected in ``SiteConfig.ready``."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from practice.accounts.models import TherapistProfile, User
from practice.core.page_cache import public_pages_changed


@receiver(post_save, sender=TherapistProfile, dispatch_uid="site.therapist_saved_pages_change")
@receiver(post_delete, sender=TherapistProfile, dispatch_uid="site.therapist_gone_pages_change")
def therapist_changed(sender: type[TherapistProfile], **kwargs: Any) -> None:
    """The home and about pages (and articles' bylines) show the listed therapists."""
    public_pages_changed()


@receiver(post_save, sender=User, dispatch_uid="site.therapist_account_pages_change")
def therapist_account_changed(
    sender: type[User], instance: User, update_fields: frozenset[str] | None, **kwargs: Any
) -> None:
    """A therapist whose account is closed (``is_active``) leaves the public pages.

    A login's save (``update_fields={"last_login"}``) changes nothing public.
    """
    if update_fields is not None and "is_active" not in update_fields:
        return
    if TherapistProfile.objects.filter(user_id=instance.pk).exists():
        public_pages_changed()
