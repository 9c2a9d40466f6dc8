"""The site's pages. Every product view goes through accounts.access; the Django admin is for
the people who run the instance (superusers) only."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import include, path
from django.views.generic import TemplateView
from django_otp import user_has_device

from socialledger.accounts.views import LimitedPasswordReset
from socialledger.api import api


def _site_operator_only(request) -> bool:
    """The admin is for superusers, who must also have given a one-time code if they use one."""
    user = request.user
    if not (user.is_active and user.is_superuser):
        return False
    return not user_has_device(user, confirmed=True) or user.is_verified()


def _admin_login(request, extra_context=None):
    """Sign in through the product's own page, so throttling and two-factor apply here too.

    Someone signed in without the right to the admin gets a 404: the admin is not theirs to find.
    """
    if request.user.is_authenticated:
        raise Http404("Not found.")
    return redirect_to_login(request.GET.get("next", "/admin/"))


admin.site.has_permission = _site_operator_only
admin.site.login = _admin_login
admin.site.site_header = "Social Ledger administration"

# A database that is busy or down gets a 503 page saying so, not a bare server error.
handler500 = "socialledger.errors.server_error"

urlpatterns = [
    path("", include("socialledger.reports.urls")),
    path("", include("socialledger.accounts.urls")),
    path("", include("socialledger.contracts.urls")),
    path("", include("socialledger.organisations.urls")),
    path("", include("socialledger.kpis.urls")),
    path("", include("socialledger.returns.urls")),
    path("", include("socialledger.imports.urls")),
    path("", include("socialledger.rounds.urls")),
    path("", include("socialledger.verification.urls")),
    path("", include("socialledger.quality.urls")),
    path("", include("socialledger.audit.urls")),
    path("", include("socialledger.jobs.urls")),
    path("", include("socialledger.operations.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/password_reset/", LimitedPasswordReset.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    # The accessibility statement UK public bodies must publish for their sites (PSBAR 2018).
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("api/v1/", api.urls),
]
