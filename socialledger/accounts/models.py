"""Memberships: which organisation a person acts for, and in which role."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from socialledger.organisations.models import Organisation

Kind = Organisation.Kind


class Role(models.TextChoices):
    PROVIDER_ADMIN = "provider-admin", "Provider admin"
    PROVIDER_OFFICER = "provider-officer", "Provider officer"
    AUDITOR = "auditor", "Auditor"
    MEMBER_VIEWER = "member-viewer", "Member viewer"
    SUPPLIER_CONTRIBUTOR = "supplier-contributor", "Supplier contributor"
    SUPPLIER_VIEWER = "supplier-viewer", "Supplier viewer"


ROLES_BY_KIND = {
    Kind.PROVIDER: {Role.PROVIDER_ADMIN, Role.PROVIDER_OFFICER, Role.AUDITOR},
    Kind.MEMBER: {Role.MEMBER_VIEWER},
    Kind.SUPPLIER: {Role.SUPPLIER_CONTRIBUTOR, Role.SUPPLIER_VIEWER},
}


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(is_active=True, user__is_active=True)

    def of(self, user) -> MembershipQuerySet:
        return self.active().filter(user=user).select_related("organisation")


class Membership(models.Model):
    """A person acting for one organisation in one role; a person may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=24, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_one_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} at {self.organisation}"

    def clean(self) -> None:
        allowed = ROLES_BY_KIND[self.organisation.kind]
        if self.role not in allowed:
            names = ", ".join(sorted(Role(role).label for role in allowed))
            raise ValidationError(
                {"role": f"A {self.organisation.get_kind_display().lower()} role must be: {names}."}
            )


class InvitationQuerySet(models.QuerySet):
    def for_provider(self, provider: Organisation) -> InvitationQuerySet:
        return self.filter(organisation__in=Organisation.objects.in_provider(provider))

    def pending(self) -> InvitationQuerySet:
        from django.utils import timezone

        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mailed, single-use, expiring link that lets a person join an organisation in a role.

    Only a hash of the token is kept, so the link cannot be rebuilt from the database.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(max_length=24, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()} at {self.organisation}"

    @property
    def state(self) -> str:
        """pending, accepted, revoked or expired."""
        from django.utils import timezone

        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "pending"


class ApiTokenQuerySet(models.QuerySet):
    def usable(self) -> ApiTokenQuerySet:
        """Tokens that still work: not revoked, and their membership and person still active."""
        return self.filter(
            revoked_at__isnull=True, membership__is_active=True, membership__user__is_active=True
        )

    def of(self, user) -> ApiTokenQuerySet:
        return self.filter(membership__user=user)


class ApiToken(models.Model):
    """A secret that lets a program use the API as one membership: one organisation, one role.

    Only a SHA-256 hash of the secret is kept; the visible prefix finds the row, so the secret
    is shown once, when made, and cannot be rebuilt from the database.
    """

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. BI export")
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    can_write = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def access_label(self) -> str:
        return "read and write" if self.can_write else "read only"

    @property
    def is_usable(self) -> bool:
        membership = self.membership
        return self.revoked_at is None and membership.is_active and membership.user.is_active


class SingleSignOnIdentity(models.Model):
    """The person an identity at the single sign-on provider belongs to (its `sub` claim).

    Made at the first sign-in matched by verified e-mail; later sign-ins are matched by it, so a
    re-used e-mail address at the provider cannot take over the account of its last holder.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identity"
    )
    subject = models.CharField(max_length=255, unique=True)
    linked_at = models.DateTimeField(auto_now_add=True)
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "single sign-on identities"

    def __str__(self) -> str:
        return f"{self.user} at the single sign-on provider"
