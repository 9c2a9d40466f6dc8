"""Pages for acting as an organisation, joining by invitation, two-factor sign-in, and people."""

from __future__ import annotations

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialledger.accounts import actions
from socialledger.accounts.access import (
    ADMINS,
    READERS_OF_EVERYTHING,
    get_api_token_for_owner,
    get_invitation_for_admin,
    get_membership_for_admin,
    ledger_view,
    memberships_of,
    provider_of,
    switch_membership,
)
from socialledger.accounts.forms import (
    ApiTokenForm,
    CodeForm,
    InviteForm,
    JoinForm,
    RoleForm,
    SignInForm,
    TwoFactorRequirementForm,
)
from socialledger.accounts.models import ApiToken, Invitation, Membership
from socialledger.lib.ratelimit import within_limit
from socialledger.organisations.models import Organisation

PEOPLE_PER_PAGE = 50


@require_POST
@login_required
def switch(request: HttpRequest) -> HttpResponse:
    """Act for another organisation the person belongs to."""
    membership = switch_membership(request, _int(request.POST.get("membership")))
    messages.success(request, f"You are now acting for {membership.organisation}.")
    return redirect("dashboard")


# --- Joining by invitation ----------------------------------------------------------------------


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation link opens: join as the signed-in person, or create an account."""
    try:
        invitation = actions.find_invitation(token)
    except actions.InvitationError as error:
        return TemplateResponse(
            request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=404
        )
    if request.user.is_authenticated:
        return _accept_signed_in(request, token, invitation)
    if _account_exists(invitation.email):
        return TemplateResponse(
            request, "accounts/invitation_sign_in.html", {"invitation": invitation}
        )
    form = JoinForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        membership = actions.accept_invitation(
            token, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome. You now act for {membership.organisation}.")
        return redirect("dashboard")
    return TemplateResponse(
        request, "accounts/invitation_join.html", {"invitation": invitation, "form": form}
    )


def _accept_signed_in(request, token: str, invitation: Invitation) -> HttpResponse:
    if request.method != "POST":
        return TemplateResponse(
            request, "accounts/invitation_accept.html", {"invitation": invitation}
        )
    try:
        membership = actions.accept_invitation(token, user=request.user)
    except actions.InvitationError as error:
        return TemplateResponse(
            request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=404
        )
    switch_membership(request, membership.pk)
    messages.success(request, f"You now also act for {membership.organisation}.")
    return redirect("dashboard")


def _account_exists(email: str) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=email).exists()


# --- Signing in ------------------------------------------------------------------------------


class SignIn(LoginView):
    """The sign-in page: a password, or the organisation's single sign-on where it is set up."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        context.update(
            sso_enabled=settings.SSO_ENABLED,
            sso_button_label=settings.SSO_BUTTON_LABEL,
            sso_refused=form.has_error(NON_FIELD_ERRORS, "single_sign_on_required"),
        )
        return context


# --- Forgotten passwords -----------------------------------------------------------------------

HOUR = 3600


class LimitedPasswordReset(PasswordResetView):
    """Password-reset e-mails, limited per client address and per e-mail address an hour."""

    def post(self, request, *args, **kwargs):
        from axes.helpers import get_client_ip_address

        client = get_client_ip_address(request) or ""
        if not within_limit(
            "reset-client", client, limit=settings.PASSWORD_RESETS_PER_CLIENT, seconds=HOUR
        ):
            return TemplateResponse(request, "registration/password_reset_limited.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        if not within_limit(
            "reset-address", email, limit=settings.PASSWORD_RESETS_PER_ADDRESS, seconds=HOUR
        ):
            # The same answer as when a link is sent, so nobody learns which addresses exist.
            return redirect(self.get_success_url())
        return super().form_valid(form)


# --- Two-factor sign-in -------------------------------------------------------------------------


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Add an authenticator app: scan the code, then prove it works by typing a code from it."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    device = device or TOTPDevice.objects.create(
        user=request.user, name="Authenticator", confirmed=False
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refusal = _why_refused(device)
        if actions.add_two_factor(device, form.cleaned_data["code"]):
            device.refresh_from_db()
            django_otp.login(request, device)
            messages.success(
                request, "Two-factor sign-in is on. You will be asked for a code each time."
            )
            return redirect(_next(request))
        form.add_error("code", refusal)
    context = {
        "form": form,
        "qr": segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1c2430"),
        "secret": b32encode(device.bin_key).decode(),
        "next": _next(request),
    }
    return TemplateResponse(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Ask a signed-in person with an authenticator for a current code."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
        refusal = _why_refused(devices[0]) if devices else "There is no authenticator."
        for device in devices:
            if device.verify_token(code):
                django_otp.login(request, device)
                return redirect(_next(request))
        form.add_error("code", refusal)
    return TemplateResponse(
        request, "accounts/two_factor_verify.html", {"form": form, "next": _next(request)}
    )


@require_POST
@ledger_view(membership_required=False)
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in off, unless a provider one works for requires it."""
    try:
        actions.remove_two_factor(request.user)
        messages.success(request, "Two-factor sign-in is off.")
    except actions.TwoFactorRequired as refusal:
        messages.error(request, str(refusal))
    return redirect("account")


@ledger_view(membership_required=False)
def account(request: HttpRequest) -> HttpResponse:
    """One's own memberships and sign-in settings."""
    context = {
        "memberships": memberships_of(request.user),
        "has_two_factor": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
    }
    return TemplateResponse(request, "accounts/account.html", context)


@ledger_view(membership_required=False)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """One's API tokens, and a form to make another; a new token's secret is shown once, here."""
    memberships = Membership.objects.of(request.user).order_by("organisation__name")
    form = ApiTokenForm(request.POST or None, memberships=memberships)
    secret = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _token, secret = actions.create_api_token(
                data["membership"], name=data["name"], can_write=data["can_write"], by=request.user
            )
            form = ApiTokenForm(memberships=memberships)
        except ValidationError as error:
            form.add_error(None, error)
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.of(request.user).select_related(
            "membership__organisation", "membership__user"
        ),
    }
    response = TemplateResponse(request, "accounts/api_tokens.html", context)
    response["Cache-Control"] = "no-store"  # the page may hold a secret shown once
    return response


@require_POST
@ledger_view(membership_required=False)
def revoke_api_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_api_token_for_owner(request.user, pk)
    try:
        actions.revoke_api_token(token, by=request.user)
        messages.success(request, f"The token “{token.name}” no longer works.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("api-tokens")


def _why_refused(device: TOTPDevice) -> str:
    """What to say if the next code is refused, worked out before it is checked."""
    allowed, _detail = device.verify_is_allowed()
    if not allowed:
        # django-otp makes each wrong code wait longer before the next try, against guessing.
        return "Too many wrong codes in a row; wait a few seconds, then try the newest code."
    return "That code is not right. Check the time on your phone and try the newest code."


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or reverse("dashboard")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard")


# --- People (provider admins; auditors read) ----------------------------------------------------


@ledger_view(roles=READERS_OF_EVERYTHING)
def people(request: HttpRequest) -> HttpResponse:
    """Everyone with a membership in the provider, and the invitations waiting to be used."""
    provider = provider_of(request.membership)
    organisations = Organisation.objects.in_provider(provider)
    memberships = (
        Membership.objects.filter(organisation__in=organisations)
        .select_related("user", "organisation")
        .order_by("organisation__kind", "organisation__name", "user__username")
    )
    query = request.GET.get("q", "").strip()
    if query:
        memberships = memberships.filter(
            Q(user__username__icontains=query)
            | Q(user__email__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    page = Paginator(memberships, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "query": query,
        "invitations": Invitation.objects.for_provider(provider).select_related("organisation")[
            :100
        ],
        "can_manage": request.membership.role in ADMINS,
        "role_form": RoleForm(),
        "security_form": TwoFactorRequirementForm(
            initial={
                "required": provider.require_two_factor,
                "single_sign_on": provider.require_single_sign_on,
            }
        ),
        "provider": provider,
    }
    return TemplateResponse(request, "accounts/people.html", context)


@ledger_view(roles=ADMINS)
def invite(request: HttpRequest) -> HttpResponse:
    """Invite a person to the provider, or to one of its members or suppliers, in a role."""
    provider = provider_of(request.membership)
    chosen = {"organisation": _int(request.GET.get("organisation")) or None}
    form = InviteForm(request.POST or None, provider=provider, initial=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.invite_person(
            data["organisation"],
            email=data["email"],
            role=data["role"],
            by=request.user,
            link_for=_link_for(request),
        )
        messages.success(request, f"An invitation was sent to {data['email']}.")
        return redirect("people")
    return TemplateResponse(request, "accounts/invite.html", {"form": form})


@require_POST
@ledger_view(roles=ADMINS)
def change_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership_for_admin(request.membership, pk)
    form = RoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Choose a role.")
        actions.change_role(membership, role=form.cleaned_data["role"], by=request.user)
        role = membership.get_role_display()
        messages.success(request, f"{membership.user} is now {role} at {membership.organisation}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("people")


@require_POST
@ledger_view(roles=ADMINS)
def set_active(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_membership_for_admin(request.membership, pk)
    active = request.POST.get("active") == "1"
    try:
        actions.set_membership_active(membership, active=active, by=request.user)
        verb = "restored" if active else "deactivated"
        messages.success(
            request, f"{membership.user}'s membership of {membership.organisation} was {verb}."
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("people")


def _link_for(request: HttpRequest):
    """How an invitation's link is built: this site's address and the accept page."""
    return lambda token: request.build_absolute_uri(reverse("accept-invitation", args=[token]))


@require_POST
@ledger_view(roles=ADMINS)
def resend_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    """Send an unused invitation again with a fresh link; the old link stops working."""
    invitation = get_invitation_for_admin(request.membership, pk)
    try:
        actions.resend_invitation(invitation, by=request.user, link_for=_link_for(request))
        messages.success(request, f"A new invitation link was sent to {invitation.email}.")
    except actions.InvitationError as error:
        messages.error(request, str(error))
    return redirect("people")


@require_POST
@ledger_view(roles=ADMINS)
def revoke_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_invitation_for_admin(request.membership, pk)
    try:
        actions.revoke_invitation(invitation, by=request.user)
        messages.success(request, f"The invitation to {invitation.email} was withdrawn.")
    except actions.InvitationError as error:
        messages.error(request, str(error))
    return redirect("people")


@require_POST
@ledger_view(roles=ADMINS)
def security(request: HttpRequest) -> HttpResponse:
    """Require (or not) two-factor sign-in, and single sign-on, of the provider's own staff."""
    form = TwoFactorRequirementForm(request.POST)
    form.is_valid()
    provider = provider_of(request.membership)
    actions.require_two_factor(
        provider, required=form.cleaned_data.get("required", False), by=request.user
    )
    state = "must now" if provider.require_two_factor else "no longer have to"
    messages.success(request, f"Staff of {provider} {state} sign in with a one-time code.")
    if "single_sign_on" in form.fields:
        required = form.cleaned_data.get("single_sign_on", False)
        if required != provider.require_single_sign_on:
            actions.require_single_sign_on(provider, required=required, by=request.user)
            state = "must now" if required else "no longer have to"
            messages.success(request, f"Staff of {provider} {state} sign in by single sign-on.")
    return redirect("people")


def _int(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0
