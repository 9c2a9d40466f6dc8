"""Returns and entries in the admin are read-only: their status and figures change only through
the actions (submit, verify, import ...), which keep the audit trail."""

from django.contrib import admin

from socialledger.audit.admin import ReadOnlyAdmin
from socialledger.returns.models import Entry, Return


@admin.register(Return)
class ReturnAdmin(ReadOnlyAdmin):
    list_display = ["supplier", "period_label", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "financial_year"]
    search_fields = ["supplier__name", "supplier__reference"]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = [
        "contract",
        "measure",
        "financial_year",
        "quantity",
        "breakdown_key",
        "description",
    ]
    list_filter = ["financial_year", "measure"]
    search_fields = ["contract__reference", "description"]
    list_select_related = ["contract", "measure"]
