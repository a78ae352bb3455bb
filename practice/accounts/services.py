"""Writes about people: profiles, names and email addresses. Invites are in ``invites``."""

import uuid

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from practice.accounts import selectors
from practice.accounts.models import (
    EMAIL_TAKEN,
    PatientInvite,
    PatientProfile,
    User,
    email_normalize,
)
from practice.audit.models import AuditEvent
from practice.audit.services import audit_record
from practice.outbox.services import email_queue


def patient_profile_ensure(*, user: User) -> PatientProfile:
    """Her patient profile, made (without a therapist yet) if she has none."""
    profile, _ = PatientProfile.objects.get_or_create(user=user)
    return profile


def user_name_change(*, user: User, full_name: str) -> User:
    """Change the name a person goes by on the site and in emails."""
    user.full_name = " ".join(full_name.split())
    user.save(update_fields=["full_name"])
    return user


def signups_unfinished_remove(*, email: str, keep: User | None = None) -> None:
    """Delete the unfinished sign-ups that sign in with ``email`` (see selectors), except ``keep``.

    Called in the transaction that gives the address to an account: such a sign-up holds
    nothing (it never signed in), and the address can only be one account's sign-in address.
    """
    unfinished = selectors.signup_unfinished_list(email=email)
    if keep is not None:
        unfinished = unfinished.exclude(pk=keep.pk)
    for user in unfinished.select_for_update():
        user.delete()


def patient_invites_end(*, patient: User, status: PatientInvite.Status) -> None:
    """End her invites still open, recording ``status`` (one of ``PatientInvite.REVOKED``).

    An invite link is a key to her account mailed to one address, for choosing her first
    password: it ends for good once she has a password (however set), once a newer link
    replaces it, and once the practice changes her address (the link sits in the old
    mailbox). Here rather than in ``invites``, which imports this module, as address changes
    end invites too.
    """
    PatientInvite.objects.filter(
        patient=patient, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_as=status)


def email_claims_release(*, email: str, owner: User) -> None:
    """``owner`` has confirmed ``email``: other accounts' unconfirmed claims on it are removed.

    Their unconfirmed extra addresses go, and so do unfinished sign-ups with it; the owner's
    confirmation is the only proof anyone has given that the address is theirs.
    """
    EmailAddress.objects.filter(email__iexact=email_normalize(email), verified=False).exclude(
        user=owner
    ).delete()
    signups_unfinished_remove(email=email, keep=owner)


@transaction.atomic
def email_address_confirm(*, address: EmailAddress) -> EmailAddress:
    """Staff confirm an address on her account (the admin), as her emailed link would.

    Other accounts' unconfirmed claims on it go. Raises ``ValidationError`` (code
    ``email_taken``) if another account owns it: one account per address, whatever the route.
    """
    if selectors.email_owner_get(email=address.email, exclude=address.user) is not None:
        raise ValidationError(EMAIL_TAKEN, code="email_taken")
    address.verified = True
    address.save(update_fields=["verified"])
    email_claims_release(email=address.email, owner=address.user)
    return address


@transaction.atomic
def user_email_change(
    *,
    user: User,
    email: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> User:
    """Set the address ``user`` signs in with, as staff typed it (the admin's add and change forms).

    The practice vouches for an address it types, so it becomes her confirmed main address
    and other accounts' unconfirmed claims on it go. Her old address is removed from her
    account, so it no longer signs in or receives links to choose a password; her invite
    links sent there stop working; and it is told of the change without being told the new
    address (a mistyped old address is a stranger's mailbox). ``user`` must be saved.
    Raises ``ValidationError`` (code ``email_taken``) if another account owns the address.
    """
    email = email_normalize(email)
    if selectors.email_owner_get(email=email, exclude=user) is not None:
        raise ValidationError(EMAIL_TAKEN, code="email_taken")
    old = User.objects.select_for_update().values_list("email", flat=True).get(pk=user.pk)
    email_claims_release(email=email, owner=user)
    EmailAddress.objects.filter(user=user, email__iexact=old).exclude(email=email).delete()
    address, _ = EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True}
    )
    EmailAddress.objects.filter(user=user, primary=True).exclude(pk=address.pk).update(
        primary=False
    )
    address.primary = True
    address.save(update_fields=["primary"])
    user.email = email
    user.save(update_fields=["email"])
    if old != email:
        patient_invites_end(patient=user, status=PatientInvite.Status.ADDRESS_CHANGED)
        email_queue(
            to=old,
            template="accounts/email_changed_by_staff",
            context={"name": user.greeting_name, "old_email": old},
            idempotency_key=f"accounts.email_changed_by_staff:{uuid.uuid4()}",
            private=True,
        )
        if user.is_patient:
            audit_record(
                actor=actor,
                patient=user,
                action=AuditEvent.Action.UPDATE,
                obj=user,
                summary=f"Changed her email address from {old} to {email}",
                request=request,
            )
    return user
