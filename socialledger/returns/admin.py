"""Returns and entries in the admin are read-only: their status and figures change only through
the actions (submit, verify, import ...), which keep the audit trail."""

from django.contrib import admin

from socialledger.returns.models import Entry, Return


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
