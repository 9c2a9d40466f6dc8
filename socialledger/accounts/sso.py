"""Single sign-on with OpenID Connect, through mozilla-django-oidc (decision 0020).

mozilla-django-oidc runs the authorisation-code flow (state, nonce, PKCE) and checks the ID
token's signature against the provider's keys; who the person is here is decided by
`actions.sign_in_by_single_sign_on`, from the signed ID token's claims.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from socialledger.accounts import actions

# The session remembers that its sign-in came through the provider.
SESSION_KEY = "socialledger_signed_in_by_sso"


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """Signs in the person the provider's verified e-mail names; anyone else is refused."""

    def authenticate(self, request, **kwargs):
        if not settings.SSO_ENABLED or request is None:
            return None
        return super().authenticate(request, **kwargs)

    def get_userinfo(self, access_token, id_token, payload):
        """The user-info answer, with the signed ID token's claims taking precedence (Entra ID
        puts its e-mail verification claim in the ID token only)."""
        return {**super().get_userinfo(access_token, id_token, payload), **payload}

    def get_or_create_user(self, access_token, id_token, payload):
        audience = payload.get("aud")
        if self.OIDC_RP_CLIENT_ID not in (audience if isinstance(audience, list) else [audience]):
            # An ID token issued to another application is no proof of anything here.
            self.request.sso_refusal = "Your organisation's sign-in was meant for another site."
            return None
        claims = self.get_userinfo(access_token, id_token, payload)
        verified = claims.get(settings.SSO_EMAIL_VERIFIED_CLAIM)
        try:
            return actions.sign_in_by_single_sign_on(
                subject=str(claims.get("sub") or ""),
                email=str(claims.get("email") or ""),
                email_verified=verified is True or str(verified).lower() == "true",
            )
        except actions.SingleSignOnRefused as refusal:
            self.request.sso_refusal = str(refusal)
            return None

    def get_user(self, user_id):
        """As for a password sign-in: a deactivated person's session ends at once."""
        return ModelBackend.get_user(self, user_id)


class SingleSignOnStart(OIDCAuthenticationRequestView):
    """Sends the person to their organisation's sign-in page."""

    def get(self, request):
        if not settings.SSO_ENABLED:
            raise Http404("Single sign-on is not set up.")
        return super().get(request)


class SingleSignOnCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the person back: signed in, or told why not."""

    @property
    def failure_url(self):
        return settings.LOGIN_URL

    def get(self, request):
        if not settings.SSO_ENABLED:
            raise Http404("Single sign-on is not set up.")
        return super().get(request)

    def login_success(self):
        response = super().login_success()
        self.request.session[SESSION_KEY] = True
        return response

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, "sso_refusal", "") or (
            "Your organisation's sign-in did not complete. Try again, or sign in with a password."
        )
        return TemplateResponse(
            self.request, "registration/sso_refused.html", {"reason": reason}, status=403
        )


def signed_in_by_sso(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_KEY))
