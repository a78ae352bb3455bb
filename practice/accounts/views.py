import textwrap
from typing import Any
from urllib.parse import urlencode

from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import get_next_redirect_url, perform_login
from allauth.account.views import SignupView as AllauthSignupView
from allauth.core.internal import ratelimit
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.views import ViewRecoveryCodesView as AllauthViewRecoveryCodesView
from allauth.mfa.totp.views import ActivateTOTPView as AllauthActivateTOTPView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from practice.accounts import invites, selectors
from practice.accounts.allauth_forms import ActivateTOTPForm
from practice.accounts.decorators import patient_required, therapist_profile_required
from practice.accounts.forms import InviteAcceptForm, PatientInviteForm
from practice.accounts.models import PatientInvite, TherapistProfile, User

#: Guessing tokens is hopeless (256 bits), but we still refuse to be hammered.
INVITE_RATE_LIMITS = {"invite_accept": "20/m/ip"}


@patient_required
def my_program(request: HttpRequest) -> HttpResponse:
    """Her old home page: her exercises now live on Today (``exercises:today``)."""
    return redirect("exercises:today")


@therapist_profile_required
def patient_list(request: HttpRequest, therapist: TherapistProfile) -> HttpResponse:
    form = PatientInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invite = invites.patient_invite(
                therapist=therapist,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            if invite is None:
                messages.success(
                    request,
                    f"{form.cleaned_data['email']} already has an account, so we did not make "
                    "a new one. We emailed her and asked her to confirm you as her therapist; "
                    "once she does, she will appear in your list below.",
                )
            else:
                messages.success(
                    request,
                    f"We emailed an invite to {invite.patient.email}. "
                    f"The link works for {invite.valid_days} days.",
                )
            return redirect("accounts:patients")
    context = {
        "therapist": therapist,
        "patients": selectors.patient_list(therapist=therapist, request=request),
        "form": form,
        "valid_days": settings.INVITE_VALID_DAYS,
    }
    return render(request, "accounts/patient_list.html", context)


@therapist_profile_required
def patient_detail(
    request: HttpRequest, patient_id: int, therapist: TherapistProfile
) -> HttpResponse:
    profile = selectors.patient_get(therapist=therapist, patient_id=patient_id, request=request)
    return render(request, "accounts/patient_detail.html", {"profile": profile})


@require_POST
@therapist_profile_required
def patient_invite_resend(
    request: HttpRequest, patient_id: int, therapist: TherapistProfile
) -> HttpResponse:
    profile = selectors.patient_get(therapist=therapist, patient_id=patient_id, request=request)
    try:
        invite, sent = invites.patient_invite_resend(
            therapist=therapist, patient=profile.user, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if sent:
            messages.success(
                request,
                f"We emailed a new invite to {profile.user.email}. The earlier link no longer "
                f"works; the new one works for {invite.valid_days} days.",
            )
        else:
            messages.info(
                request,
                f"We emailed an invite to {profile.user.email} less than a minute ago, so we "
                "did not send another. Emails can take a few minutes to arrive; the link in "
                f"that one works for {invite.valid_days} days.",
            )
    return redirect("accounts:patient_detail", patient_id=patient_id)


def _invite_unusable(request: HttpRequest, invite: PatientInvite) -> HttpResponse:
    template = {
        PatientInvite.Status.ACCEPTED: "accounts/invite_used.html",
        PatientInvite.Status.NOT_NEEDED: "accounts/invite_used.html",
        PatientInvite.Status.EXPIRED: "accounts/invite_expired.html",
        PatientInvite.Status.REPLACED: "accounts/invite_expired.html",
        PatientInvite.Status.ADDRESS_CHANGED: "accounts/invite_expired.html",
    }[invite.status]
    return render(request, template, {"invite": invite}, status=410)


def _emailed_link_limited(request: HttpRequest) -> HttpResponse | None:
    """The 429 page when this address opens emailed links (invites, therapist links) too often."""
    return ratelimit.consume_or_429(
        request,
        app="practice.accounts",
        action="invite_accept",
        config=INVITE_RATE_LIMITS,
        limit_get=True,
    )


#: Where the invite being accepted is kept between the emailed link and the password form.
INVITE_SESSION_KEY = "accounts.invite_id"


@never_cache
def invite_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: remember the invite in her session and take the token out of the URL.

    Like allauth's password-reset link, so the token shows up neither in the access log of
    the pages that follow nor in the Referer of anything they load or link to.
    """
    limited = _emailed_link_limited(request)
    if limited:
        return limited
    invite = selectors.invite_get_by_token(token=token)
    if invite is None:
        return render(request, "accounts/invite_invalid.html", status=404)
    if invite.status != PatientInvite.Status.PENDING:
        return _invite_unusable(request, invite)
    request.session[INVITE_SESSION_KEY] = invite.pk
    return redirect("accounts:invite")


def _invite_ended(request: HttpRequest, invite: PatientInvite) -> HttpResponse:
    """The invite in her session has ended since she opened its link.

    Accepted, it was most likely by this very form sent twice (a double click, two tabs):
    the other submit signed her in, and its login replaced the session this request holds,
    so this one leaves that session alone (saving it would fail) and sends her where the
    other went. "My program" asks anyone else to sign in, which the "already used" page
    would ask too. Someone else signed in on this browser gets that page.
    """
    signed_in_as_other = request.user.is_authenticated and request.user.pk != invite.patient_id
    if invite.status == PatientInvite.Status.ACCEPTED and not signed_in_as_other:
        return redirect("accounts:my_program")
    del request.session[INVITE_SESSION_KEY]
    return _invite_unusable(request, invite)


@never_cache
def invite_accept(request: HttpRequest) -> HttpResponse:
    """Choose her first password for the invite in her session, then sign in on "My program"."""
    invite_id = request.session.get(INVITE_SESSION_KEY)
    invite = selectors.invite_get(invite_id=invite_id) if isinstance(invite_id, int) else None
    if invite is None:
        return render(request, "accounts/invite_missing.html", status=404)
    if invite.status != PatientInvite.Status.PENDING:
        return _invite_ended(request, invite)
    form = InviteAcceptForm(invite.patient, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient = invites.patient_invite_accept(
                invite=invite, password=form.cleaned_data["new_password1"]
            )
        except invites.InviteUnusable:
            invite.refresh_from_db()
            return _invite_ended(request, invite)
        del request.session[INVITE_SESSION_KEY]
        response = perform_login(request, patient, redirect_url=reverse("accounts:my_program"))
        messages.success(
            request,
            f"Welcome, {patient.get_short_name()}! Your account is ready. "
            "From now on, sign in with your email address and the password you just chose.",
        )
        return response
    return render(request, "accounts/invite_accept.html", {"invite": invite, "form": form})


#: The therapist link being confirmed (patient id, therapist profile id), kept between the
#: emailed link and the question, across signing in.
THERAPIST_LINK_SESSION_KEY = "accounts.therapist_link"


@never_cache
def therapist_link(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: remember what it asks in her session and take the token out of the URL."""
    limited = _emailed_link_limited(request)
    if limited:
        return limited
    link = selectors.therapist_link_get(token=token)
    if link is None:
        return render(request, "accounts/therapist_link_invalid.html", status=404)
    patient, therapist = link
    request.session[THERAPIST_LINK_SESSION_KEY] = [patient.pk, therapist.pk]
    return redirect("accounts:therapist_confirm")


@never_cache
def therapist_confirm(request: HttpRequest) -> HttpResponse:
    """Signed in, she says yes to the therapist who asked (her consent to share her records)."""
    ids = request.session.get(THERAPIST_LINK_SESSION_KEY)
    link = selectors.therapist_link_by_ids(ids=ids)
    if link is None:
        return render(request, "accounts/therapist_link_invalid.html", status=404)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    patient, therapist = link
    if request.user.pk != patient.pk:
        return render(request, "accounts/therapist_link_other_account.html", status=403)
    if request.method == "POST":
        del request.session[THERAPIST_LINK_SESSION_KEY]
        try:
            invites.therapist_link_confirm(patient=patient, therapist=therapist, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Thank you. {therapist.display_name} is now your therapist.")
        return redirect("accounts:my_program")
    return render(request, "accounts/therapist_confirm.html", {"therapist": therapist})


class ActivateTOTPView(AllauthActivateTOTPView):
    """allauth's page; entering a valid code here also completes this session's two-step login.

    The setup key is shown in groups of four, as authenticator apps ignore spaces. A ``next``
    address on this site (staff sent here from the page they asked for) is carried through
    the recovery codes page, which then leads on to it.
    Its form uses the code up, so that code cannot complete another login.
    """

    form_class = ActivateTOTPForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        secret = str(context["form"].secret)
        context["secret_groups"] = " ".join(textwrap.wrap(secret, 4))
        context["next_url"] = get_next_redirect_url(self.request)
        return context

    def get_success_url(self) -> str:
        url = super().get_success_url()
        next_url = get_next_redirect_url(self.request)
        if next_url is None:
            return url
        if self.did_generate_recovery_codes:
            return f"{url}?{urlencode({'next': next_url})}"
        return next_url

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        authenticator = Authenticator.objects.get(
            user=self.request.user, type=Authenticator.Type.TOTP
        )
        record_authentication(
            self.request, self.request.user, "mfa", id=authenticator.pk, type=authenticator.type
        )
        return response


class ViewRecoveryCodesView(AllauthViewRecoveryCodesView):
    """allauth's page; after setting up two-step sign-in it leads on to the page she asked for."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["next_url"] = get_next_redirect_url(self.request)
        return context


class SignupView(AllauthSignupView):
    """allauth's page; the same address sent twice at once is answered as any taken address.

    allauth checks the address before saving, so both of two simultaneous sign-ups pass the check
    and the second one's save breaks the unique constraint. The new account commits together with
    its confirmation email (and allauth's per-address email rate limit), so the sign-up that lost
    then gets exactly allauth's answer for an address that already has an account.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except IntegrityError:
            if not User.objects.filter(email__iexact=form.cleaned_data["email"]).exists():
                raise
        form.account_already_exists = True
        return super().form_valid(form)
