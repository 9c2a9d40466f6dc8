"""Frameworks, lots, contracts and commitments in the Django admin: to read, never to change.

They change only through the contracts actions (on the set-up pages, the API and the imports),
which refuse what the business forbids and audit what they do (docs/decisions/0014)."""

from django.contrib import admin

from socialledger.audit.admin import ReadOnlyAdmin
from socialledger.contracts.models import Commitment, Contract, Framework, Lot, Spend


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0
    fields = ["reference", "name", "value"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Framework)
class FrameworkAdmin(ReadOnlyAdmin):
    list_display = ["name", "reference", "provider", "starts_on", "ends_on", "value"]
    list_filter = ["provider"]
    search_fields = ["name", "reference"]
    inlines = [LotInline]


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "title",
        "framework",
        "lot",
        "member",
        "supplier",
        "value",
        "starts_on",
        "ends_on",
    ]
    list_filter = ["framework", "lot"]
    search_fields = ["reference", "title", "member__name", "supplier__name"]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["measure", "financial_year", "scope_label", "basis", "quantity"]
    list_filter = ["financial_year", "measure", "basis"]


@admin.register(Spend)
class SpendAdmin(ReadOnlyAdmin):
    list_display = ["contract", "period_end", "amount"]
    search_fields = ["contract__reference"]
