from django.contrib import admin

from socialledger.audit.admin import AuditedAdmin
from socialledger.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "reference", "kind", "provider", "sector", "region"]
    list_filter = ["kind", "sector", "provider"]
    search_fields = ["name", "reference", "companies_house_number", "charity_number"]
