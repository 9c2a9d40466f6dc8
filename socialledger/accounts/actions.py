"""Changes to who may act for which organisation, and how they sign in."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialledger.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Role,
    SingleSignOnIdentity,
)
from socialledger.audit.actions import record
from socialledger.organisations.models import Organisation


class InvitationError(Exception):
    """An invitation that cannot be used: unknown, used, revoked or expired."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def add_membership(user, organisation, *, role: str, by, via: str = "") -> Membership:
    """Let a person act for an organisation in a role (one membership per organisation)."""
    membership = Membership(user=user, organisation=organisation, role=role)
    membership.full_clean()
    membership.save()
    record(
        membership,
        "membership.added",
        by=by,
        provider=organisation.home_provider,
        after=_describe(membership),
        via=via,
    )
    return membership


@transaction.atomic
def change_role(membership: Membership, *, role: str, by) -> Membership:
    """Give a membership another role that fits its organisation."""
    before = _describe(membership)
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    record(
        membership,
        "membership.role_changed",
        by=by,
        provider=membership.organisation.home_provider,
        before=before,
        after=_describe(membership),
    )
    return membership


@transaction.atomic
def set_membership_active(membership: Membership, *, active: bool, by) -> Membership:
    """Deactivate (or restore) a membership: a deactivated person sees nothing of it."""
    if membership.user_id == getattr(by, "pk", None) and not active:
        raise ValidationError("You cannot deactivate your own membership.")
    before = _describe(membership)
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    record(
        membership,
        "membership.activated" if active else "membership.deactivated",
        by=by,
        provider=membership.organisation.home_provider,
        before=before,
        after=_describe(membership),
    )
    return membership


@transaction.atomic
def invite_person(organisation: Organisation, *, email: str, role: str, by, link_for) -> Invitation:
    """Create an invitation and e-mail its single-use link; `link_for(token)` builds the URL."""
    probe = Membership(organisation=organisation, role=role)
    probe.clean()  # the role must fit the organisation
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.strip().lower(),
        role=role,
        token_hash=token_hash(token),
        invited_by=by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    record(
        invitation,
        "invitation.sent",
        by=by,
        provider=organisation.home_provider,
        after={"email": invitation.email, "organisation": organisation.reference, "role": role},
    )
    _send_invitation(invitation, link_for(token), by)
    return invitation


def _send_invitation(invitation: Invitation, link: str, by) -> None:
    """E-mail the link once the invitation is stored (Django's e-mail settings decide how)."""
    context = {"invitation": invitation, "link": link, "by": by}
    transaction.on_commit(lambda: _send(invitation.email, "accounts/email/invitation", context))


def find_invitation(token: str) -> Invitation:
    """The pending invitation for a token, or InvitationError saying why it cannot be used."""
    invitation = (
        Invitation.objects.select_related("organisation")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        raise InvitationError("This invitation link is not valid. Check it was copied whole.")
    state = invitation.state
    if state != "pending":
        raise InvitationError(f"This invitation has been {state}. Ask for a new one.")
    return invitation


@transaction.atomic
def accept_invitation(
    token: str, *, user=None, username: str = "", password: str = ""
) -> Membership:
    """Use an invitation: for the signed-in person, or for a new account it creates."""
    invitation = Invitation.objects.select_for_update().get(pk=find_invitation(token).pk)
    if user is None:
        user = get_user_model().objects.create_user(username, invitation.email, password)
    elif user.email.lower() != invitation.email:
        raise InvitationError(f"This invitation is for {invitation.email}; sign in as that person.")
    return _use_invitation(invitation, user)


def _use_invitation(invitation: Invitation, user, *, via: str = "") -> Membership:
    """Give the person the invitation's membership and mark the invitation used."""
    existing = Membership.objects.filter(user=user, organisation=invitation.organisation).first()
    if existing:
        membership = (
            change_role(existing, role=invitation.role, by=user)
            if existing.role != invitation.role
            else existing
        )
        if not membership.is_active:
            membership = set_membership_active(membership, active=True, by=user)
    else:
        membership = add_membership(
            user, invitation.organisation, role=invitation.role, by=user, via="invitation"
        )
    invitation.accepted_at, invitation.accepted_by = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        invitation,
        "invitation.accepted",
        by=user,
        provider=invitation.organisation.home_provider,
        via=via,
    )
    return membership


@transaction.atomic
def resend_invitation(invitation: Invitation, *, by, link_for) -> Invitation:
    """Send a fresh link for an invitation not yet used: the old link stops working, and the new
    one runs for the full time again (an expired invitation may be re-sent too)."""
    if invitation.accepted_at or invitation.revoked_at:
        raise InvitationError(f"This invitation has already been {invitation.state}.")
    token = secrets.token_urlsafe(32)
    invitation.token_hash = token_hash(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    invitation.save(update_fields=["token_hash", "expires_at"])
    record(
        invitation,
        "invitation.resent",
        by=by,
        provider=invitation.organisation.home_provider,
        after={"email": invitation.email, "expires_at": invitation.expires_at.isoformat()},
    )
    _send_invitation(invitation, link_for(token), by)
    return invitation


@transaction.atomic
def start_provider(
    *,
    reference: str,
    name: str,
    username: str,
    email: str,
    password: str,
    year_start_month: int = 4,
) -> Membership:
    """Set up a new provider and its first admin, who can then set up everything else on the
    web: the way in for an empty database (`socialledger setup`)."""
    from socialledger.organisations.actions import create_provider

    users = get_user_model().objects
    if users.filter(username__iexact=username.strip()).exists():
        raise ValidationError(f'There is already a person called "{username.strip()}".')
    user = users.model(username=username.strip(), email=email.strip().lower())
    user.set_password(password)
    user.full_clean()
    user.save()
    provider = create_provider(
        reference=reference, name=name, by=user, year_start_month=year_start_month
    )
    return add_membership(user, provider, role=Role.PROVIDER_ADMIN, by=user, via="setup")


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, by) -> Invitation:
    """Withdraw an invitation that has not been used yet."""
    if invitation.state != "pending":
        raise InvitationError(f"This invitation has already been {invitation.state}.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(invitation, "invitation.revoked", by=by, provider=invitation.organisation.home_provider)
    return invitation


@transaction.atomic
def require_two_factor(provider: Organisation, *, required: bool, by) -> Organisation:
    """Require (or stop requiring) the provider's own staff to sign in with a one-time code."""
    before = {"require_two_factor": provider.require_two_factor}
    provider.require_two_factor = required
    provider.save(update_fields=["require_two_factor"])
    record(
        provider,
        "provider.two_factor_required" if required else "provider.two_factor_optional",
        by=by,
        provider=provider,
        before=before,
        after={"require_two_factor": required},
    )
    return provider


@transaction.atomic
def add_two_factor(device: TOTPDevice, code: str) -> bool:
    """Turn on the person's new authenticator if the code typed from it is right; audited."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    if device.confirmed or not device.verify_token(code.strip()):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _record_for_person(device.user, "user.two_factor_added")
    return True


class TwoFactorRequired(Exception):
    """Two-factor sign-in cannot be turned off: a provider the person works for requires it."""


@transaction.atomic
def remove_two_factor(user) -> None:
    """Turn two-factor sign-in off, unless a provider the person works for requires it."""
    if any(
        m.organisation.is_provider and m.organisation.require_two_factor
        for m in Membership.objects.of(user)
    ):
        raise TwoFactorRequired(
            "Your provider requires two-factor sign-in, so it cannot be turned off."
        )
    TOTPDevice.objects.filter(user=user).delete()
    _record_for_person(user, "user.two_factor_removed")


def _record_for_person(user, action: str) -> None:
    """A person's own sign-in change, logged with the provider of their first membership."""
    membership = Membership.objects.of(user).order_by("organisation__name", "pk").first()
    if membership is not None:
        record(user, action, by=user, provider=membership.organisation.home_provider)


@transaction.atomic
def require_single_sign_on(provider: Organisation, *, required: bool, by) -> Organisation:
    """Require (or stop requiring) the provider's own staff to sign in through single sign-on."""
    if required and not settings.SSO_ENABLED:
        raise ValidationError("Single sign-on is not set up on this instance yet.")
    before = {"require_single_sign_on": provider.require_single_sign_on}
    provider.require_single_sign_on = required
    provider.save(update_fields=["require_single_sign_on"])
    record(
        provider,
        "provider.single_sign_on_required" if required else "provider.single_sign_on_optional",
        by=by,
        provider=provider,
        before=before,
        after={"require_single_sign_on": required},
    )
    return provider


# --- Single sign-on ------------------------------------------------------------------------------


class SingleSignOnRefused(Exception):
    """A sign-in through the provider that does not name a person here; the message says why."""


@transaction.atomic
def sign_in_by_single_sign_on(*, subject: str, email: str, email_verified: bool):
    """The person a single sign-on identity is: the account linked to it, else the one account
    with its verified e-mail address, else a new account for that address's pending invitations.

    Nobody gains a membership by signing in: an account is only made to take up invitations an
    admin sent, and a person with neither account nor invitation is refused."""
    email = email.strip().lower()
    if not email or not email_verified:
        raise SingleSignOnRefused(
            "Your organisation's sign-in did not confirm your e-mail address, so Social Ledger "
            "cannot tell who you are. Ask your IT team to confirm it, or sign in with a password."
        )
    if not subject:
        raise SingleSignOnRefused("Your organisation's sign-in did not say who you are.")
    identity = SingleSignOnIdentity.objects.select_related("user").filter(subject=subject).first()
    user = identity.user if identity else _account_for(email) or _account_for_invitations(email)
    if not user.is_active:
        raise SingleSignOnRefused("This account has been deactivated. Ask an admin to restore it.")
    if identity is None:
        identity = _link_identity(user, subject)
    identity.last_sign_in_at = timezone.now()
    identity.save(update_fields=["last_sign_in_at"])
    return user


def _account_for(email: str):
    """The one account with this e-mail address, or None; two is a refusal, not a guess."""
    found = list(get_user_model().objects.filter(email__iexact=email)[:2])
    if len(found) > 1:
        raise SingleSignOnRefused(
            f"More than one account uses {email}. Ask an admin to give each its own address."
        )
    return found[0] if found else None


def _account_for_invitations(email: str):
    """A new account (with no password) taking up every pending invitation to this address."""
    invitations = list(Invitation.objects.pending().select_for_update().filter(email__iexact=email))
    if not invitations:
        raise SingleSignOnRefused(
            f"There is no Social Ledger account for {email}. Ask an admin of your organisation "
            "to invite you, then sign in again."
        )
    user = get_user_model().objects.create_user(_free_username(email), email)
    for invitation in invitations:
        _use_invitation(invitation, user, via="single sign-on")
    return user


def _free_username(email: str) -> str:
    """The address's local part as user name, numbered when someone already has it."""
    users = get_user_model().objects
    base = email.split("@", 1)[0][:140] or "person"
    name, number = base, 1
    while users.filter(username__iexact=name).exists():
        number += 1
        name = f"{base}{number}"
    return name


def _link_identity(user, subject: str) -> SingleSignOnIdentity:
    """Link the provider's identity to the account, once; another identity is refused."""
    if SingleSignOnIdentity.objects.filter(user=user).exists():
        raise SingleSignOnRefused(
            "This account is already linked to another sign-in at your organisation. "
            "Ask an admin to check the account's e-mail address."
        )
    identity = SingleSignOnIdentity.objects.create(user=user, subject=subject)
    for membership in Membership.objects.of(user):
        record(
            identity,
            "account.single_sign_on_linked",
            by=user,
            provider=membership.organisation.home_provider,
            after={"user": user.username},
        )
    return identity


# --- API tokens ----------------------------------------------------------------------------------

TOKEN_PREFIX = "sl_"  # noqa: S105 - the visible start of every token, not a secret
# How stale the recorded last use may get: a busy program does not write on every call.
LAST_USED_GRANULARITY = timedelta(minutes=1)


@transaction.atomic
def create_api_token(
    membership: Membership, *, name: str, can_write: bool, by
) -> tuple[ApiToken, str]:
    """Make a token that acts as one of the person's own memberships; the secret is returned
    once, here, and only its hash is kept."""
    if membership.user_id != getattr(by, "pk", None) or not membership.is_active:
        raise ValidationError("A token can only be made for one of your own active memberships.")
    prefix = TOKEN_PREFIX + secrets.token_hex(4)
    secret = f"{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(
        membership=membership,
        name=name.strip(),
        prefix=prefix,
        secret_hash=token_hash(secret),
        can_write=can_write,
    )
    token.full_clean()
    token.save()
    record(
        token,
        "api_token.created",
        by=by,
        provider=membership.organisation.home_provider,
        after=_describe_token(token),
    )
    return token, secret


@transaction.atomic
def revoke_api_token(token: ApiToken, *, by) -> ApiToken:
    """Stop a token working, for good."""
    if token.revoked_at is not None:
        raise ValidationError("This token was already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        token,
        "api_token.revoked",
        by=by,
        provider=token.membership.organisation.home_provider,
        before=_describe_token(token),
    )
    return token


def note_api_token_used(token: ApiToken) -> None:
    """Keep the token's last use to the minute (not audited: it changes nothing in the ledger)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


def _describe_token(token: ApiToken) -> dict:
    return {
        "name": token.name,
        "prefix": token.prefix,
        "access": token.access_label,
        **_describe(token.membership),
    }


def _describe(membership: Membership) -> dict:
    return {
        "user": membership.user.get_username(),
        "organisation": membership.organisation.reference,
        "role": membership.role,
        "active": membership.is_active,
    }


def _send(to: str, template: str, context: dict) -> None:
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    body = render_to_string(f"{template}.txt", context)
    send_mail(subject, body, None, [to])
