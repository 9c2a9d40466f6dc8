"""Forms for invitations, roles, joining and two-factor sign-in."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from socialledger.accounts.models import ROLES_BY_KIND, Role
from socialledger.organisations.models import Organisation


class InviteForm(forms.Form):
    email = forms.EmailField(help_text="The link is sent here and works once, for a limited time.")
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none())
    role = forms.ChoiceField(choices=Role.choices)

    def __init__(self, *args, provider: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.in_provider(provider).order_by(
            "kind", "name"
        )
        self.fields["organisation"].label_from_instance = lambda org: (
            f"{org.name} ({org.get_kind_display().lower()})"
        )

    def clean(self):
        data = super().clean()
        organisation, role = data.get("organisation"), data.get("role")
        if organisation and role and role not in ROLES_BY_KIND[organisation.kind]:
            allowed = ", ".join(sorted(Role(r).label for r in ROLES_BY_KIND[organisation.kind]))
            self.add_error("role", f"For a {organisation.get_kind_display().lower()}: {allowed}.")
        return data


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class JoinForm(forms.Form):
    """A new account for a person accepting an invitation."""

    username = forms.CharField(max_length=150, help_text="What you will sign in with.")
    password = forms.CharField(widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(
        widget=forms.PasswordInput, strip=False, label="Password again"
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken; choose another.")
        return username

    def clean(self):
        data = super().clean()
        password = data.get("password")
        if password and password != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        elif password:
            probe = get_user_model()(username=data.get("username", ""), email=self.email)
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=8,
        label="Code from your authenticator app",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TwoFactorRequirementForm(forms.Form):
    required = forms.BooleanField(
        required=False, label="Staff of this provider must use a one-time code to sign in"
    )
    single_sign_on = forms.BooleanField(
        required=False,
        label="Staff of this provider must sign in through the organisation's single sign-on",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not settings.SSO_ENABLED:  # nothing to require until the instance has it set up
            del self.fields["single_sign_on"]


class SignInForm(AuthenticationForm):
    """The password sign-in, refused to staff of a provider that requires single sign-on."""

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        from socialledger.accounts.access import must_sign_in_by_sso

        if must_sign_in_by_sso(user):
            raise ValidationError(
                "Your organisation signs you in through its own account: use the button "
                f"“{settings.SSO_BUTTON_LABEL}” instead of a password.",
                code="single_sign_on_required",
            )


class ApiTokenForm(forms.Form):
    """A new API token: which of one's memberships it acts as, and whether it may write."""

    name = forms.CharField(max_length=100, help_text="What it is for, e.g. “Power BI export”.")
    membership = forms.ModelChoiceField(
        queryset=None, label="Acts for", help_text="The token sees and does what this role may."
    )
    can_write = forms.TypedChoiceField(
        label="Access",
        choices=[("0", "Read only"), ("1", "Read and write")],
        coerce=lambda value: value == "1",
        initial="0",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, memberships, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        field.queryset = memberships
        field.label_from_instance = lambda m: f"{m.organisation} · {m.get_role_display()}"
