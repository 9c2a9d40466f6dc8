"""Memberships in the Django admin: to read; people join by invitation and change on the People
page, through the accounts actions (docs/decisions/0014)."""

from django.contrib import admin

from socialledger.accounts.models import Membership
from socialledger.audit.admin import ReadOnlyAdmin


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["user__username", "user__email", "organisation__name"]
