from django.urls import path

from socialledger.accounts import views

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/tokens/", views.api_tokens, name="api-tokens"),
    path("account/tokens/<int:pk>/revoke/", views.revoke_api_token, name="api-token-revoke"),
    path("account/switch/", views.switch, name="switch-organisation"),
    path("account/two-factor/", views.two_factor_setup, name="two-factor-setup"),
    path("account/two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("account/two-factor/remove/", views.two_factor_remove, name="two-factor-remove"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept-invitation"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/memberships/<int:pk>/role/", views.change_role, name="change-role"),
    path("people/memberships/<int:pk>/active/", views.set_active, name="set-membership-active"),
    path("people/invitations/<int:pk>/revoke/", views.revoke_invitation, name="revoke-invitation"),
    path("people/invitations/<int:pk>/resend/", views.resend_invitation, name="resend-invitation"),
    path("people/security/", views.security, name="provider-security"),
]
