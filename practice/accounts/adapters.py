import time
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.forms import Form
from django.http import HttpRequest
from django.urls import reverse

from practice.accounts import ratelimits, selectors, services
from practice.accounts.models import User
from practice.core.client_address import client_address
from practice.core.localtime import format_moment
from practice.core.selectors import practice_profile
from practice.outbox.services import email_queue, email_queue_rendered

#: allauth's emails we write ourselves, in templates/emails/<name>.*; the rest use allauth's own.
OWN_EMAIL_TEMPLATES = {
    "account/email/email_confirmation_signup": "account/email_confirmation_signup",
    "account/email/email_confirmation": "account/email_confirmation",
    "account/email/password_reset_key": "account/password_reset_key",
    "account/email/account_already_exists": "account/account_already_exists",
    "account/email/unknown_account": "account/unknown_account",
    # Security notices (ACCOUNT_EMAIL_NOTIFICATIONS), built on emails/account/_notification.*
    "account/email/password_changed": "account/password_changed",
    "account/email/password_set": "account/password_set",
    "account/email/password_reset": "account/password_reset",
    "account/email/email_changed": "account/email_changed",
    "account/email/email_deleted": "account/email_deleted",
    "mfa/email/totp_activated": "mfa/totp_activated",
    "mfa/email/totp_deactivated": "mfa/totp_deactivated",
    "mfa/email/recovery_codes_generated": "mfa/recovery_codes_generated",
}


class AccountAdapter(DefaultAccountAdapter):
    #: allauth's errors on the account-settings pages, in our own words.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "duplicate_email": "You have already added this email address.",
        "enter_current_password": "That is not your current password. Please try again.",
        "incorrect_password": "That password is not right. Please try again.",
        "too_many_login_attempts": (
            "For your safety, we have paused signing in for a few minutes: a password or "
            "code was typed wrongly several times."
        ),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Queue every allauth email in the outbox instead of sending it on the spot.

        They are private: their links sign her in or change her account, and the security
        notices name her IP address, so staff never read them in the outbox.
        """
        key = f"allauth:{template_prefix}:{uuid.uuid4()}"
        context = _on_site(context)
        own = OWN_EMAIL_TEMPLATES.get(template_prefix)
        if own is not None:
            user = context.get("user")
            plain = {k: v for k, v in context.items() if isinstance(v, str)}
            plain["email"] = email
            plain["name"] = user.greeting_name if isinstance(user, User) else ""
            timestamp = context.get("timestamp")
            if isinstance(timestamp, datetime):
                plain["when"] = _practice_time(timestamp)
            email_queue(to=email, template=own, context=plain, idempotency_key=key, private=True)
            return
        ctx = {
            "request": self.request,
            "email": email,
            "current_site": get_current_site(self.request),
            **context,
        }
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        if isinstance(message, EmailMultiAlternatives):
            html = next((str(c) for c, mime in message.alternatives if mime == "text/html"), "")
        email_queue_rendered(
            to=email,
            subject=str(message.subject),
            text=str(message.body),
            html=html,
            idempotency_key=key,
            private=True,
        )

    def send_notification_mail(
        self,
        template_prefix: str,
        user: AbstractBaseUser,
        context: dict[str, Any] | None = None,
        email: str | None = None,
    ) -> None:
        """Security notices greet her by name and link to choosing a new password."""
        extra = {
            "user": user,
            "password_reset_url": settings.SITE_URL + reverse("account_reset_password"),
        }
        super().send_notification_mail(template_prefix, user, {**extra, **(context or {})}, email)

    def save_user(self, request: HttpRequest, user: User, form: Form, commit: bool = True) -> User:
        """Public sign-up makes patients, never staff; it replaces an unfinished sign-up.

        The sign-up form has already refused an address that an account owns
        (``accounts.selectors``); an unfinished sign-up with it holds nothing, and the
        address can be only one account's sign-in address.
        """
        user.role = User.Role.PATIENT
        user.is_superuser = False
        if commit:
            services.signups_unfinished_remove(email=form.cleaned_data["email"])
        saved = super().save_user(request, user, form, commit=commit)
        if commit:
            services.patient_profile_ensure(user=saved)
        return saved

    @transaction.atomic
    def confirm_email(self, request: HttpRequest, email_address: EmailAddress) -> bool:
        """Confirming an address makes it hers alone; an address another account owns is not.

        allauth only refuses an address confirmed elsewhere; one that another account signs
        in with is refused too. Once confirmed, other accounts' unconfirmed claims on it go.
        """
        owner = selectors.email_owner_get(email=email_address.email, exclude=email_address.user)
        if owner is not None:
            self.add_message(
                request,
                messages.ERROR,
                "account/messages/email_confirmation_failed.txt",
                {"email": email_address.email},
            )
            return False
        if not super().confirm_email(request, email_address):
            return False
        services.email_claims_release(email=email_address.email, owner=email_address.user)
        return True

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """A login in the last few minutes is as fresh as asking for the password again.

        allauth counts only explicit re-authentications, so a therapist sent from her login
        straight to setting up two-step sign-in would be asked for her password twice.
        """
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        request = self.request
        if request is None or not request.user.is_authenticated:
            return True
        records = get_authentication_records(request, request.user)
        if not records:
            return True
        return time.time() - records[-1]["at"] >= app_settings.REAUTHENTICATION_TIMEOUT

    def get_client_ip(self, request: HttpRequest) -> str:
        """The site's one client address (behind a declared proxy, the one it saw).

        Raises PermissionDenied, as allauth does, when the request has no usable address.
        """
        address = client_address(request)
        if address is None:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """Count the try; only the per-place limit refuses here (see ``authenticate``)."""
        key = self._get_login_attempts_cache_key(request, **credentials)
        usage = ratelimits.login_failed_consume(request, key=key)
        if usage is None:
            raise self.validation_error("too_many_login_attempts")
        self._login_failed_rl_usage = usage
        self._account_paused = usage.account_paused

    def authenticate(self, request: HttpRequest, **credentials: Any) -> AbstractBaseUser | None:
        """After too many wrong passwords for an address, only two-step accounts still get in.

        allauth pauses an address for everyone after 5 wrong passwords in 5 minutes
        (``login_failed`` ``5/5m/key``), so a stranger who knows a therapist's address could
        keep her out of her practice's site all day by typing it five times every five
        minutes. GitHub and Google, the anchors here, never lock an account against its
        owner: they limit each place that guesses and ask for more proof (a second factor)
        instead. So here:

        - each place (internet address) is still limited (``10/m/ip``): the stranger's own
          tries stay stopped;
        - a paused account with two-step sign-in (all staff) still accepts its right
          password from anywhere, and that password only leads to the code step, which has
          its own limit; a wrong password still gets the pause message;
        - a paused account without a second factor (most patients) stays paused, because
          its password is then all that protects it; the pause page says when it lifts,
          links to choosing a new password (which ends the pause) and gives the practice's
          phone number (``LoginForm``).
        """
        self._account_paused = False
        user = super().authenticate(request, **credentials)
        if self._account_paused and not (user is not None and is_mfa_enabled(user)):
            raise self.validation_error("too_many_login_attempts")
        return user

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        """Sign-up makes patients only, so she lands where a patient logging in does."""
        return reverse("accounts:my_program")

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Each lands on her own home: therapists on their patients, patients on their program."""
        if getattr(request.user, "is_therapist", False):
            return reverse("accounts:patients")
        if getattr(request.user, "is_patient", False):
            return reverse("accounts:my_program")
        return super().get_login_redirect_url(request)


def _practice_time(moment: datetime) -> str:
    """E.g. "2:05 p.m. EST on Tuesday, March 4, 2025", in the practice's time zone."""
    return format_moment(moment, zone=ZoneInfo(str(practice_profile().time_zone)))


def _on_site(context: dict[str, Any]) -> dict[str, Any]:
    """The context with its links (``*_url``) moved onto SITE_URL.

    allauth builds its links from the host of the request (``build_absolute_uri``), which is
    whatever address the visitor or a proxy used; every email links to SITE_URL instead.
    """
    moved = dict(context)
    for key, value in context.items():
        if key.endswith("_url") and isinstance(value, str) and value:
            parts = urlsplit(value)
            path = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
            moved[key] = settings.SITE_URL + path
    return moved


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        """The name her authenticator app lists the account under: the practice's own, unless
        ``MFA_TOTP_ISSUER`` says otherwise."""
        return str(settings.MFA_TOTP_ISSUER or practice_profile().name)

    #: allauth's two-step sign-in errors, in our own words.
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "add_email_blocked": (
            "While two-step sign-in is on, you cannot add another email address. Please turn "
            "it off first, and turn it on again once the new address is confirmed."
        ),
        "cannot_delete_authenticator": "Two-step sign-in cannot be turned off for this account.",
        "cannot_generate_recovery_codes": (
            "You can make recovery codes once two-step sign-in is on."
        ),
        "incorrect_code": (
            "That code is not right. Please try again with the code your app shows now, "
            "or with one of your recovery codes."
        ),
        "unverified_email": (
            "Before you set up two-step sign-in, please confirm every email address on your "
            "account, or remove the ones you do not use."
        ),
    }
