"""Organisations in the Django admin: to read; they change through the organisations actions
(docs/decisions/0014)."""

from django.contrib import admin

from socialledger.audit.admin import ReadOnlyAdmin
from socialledger.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "reference", "kind", "provider", "sector", "region"]
    list_filter = ["kind", "sector", "provider"]
    search_fields = ["name", "reference", "companies_house_number", "charity_number"]
