from django.contrib import admin

from socialledger.audit.admin import AuditedAdmin
from socialledger.contracts.models import Commitment, Contract, Framework, Lot


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0
    filter_horizontal = ["suppliers"]


@admin.register(Framework)
class FrameworkAdmin(AuditedAdmin):
    list_display = ["name", "reference", "provider", "starts_on", "ends_on", "value"]
    list_filter = ["provider"]
    search_fields = ["name", "reference"]
    inlines = [LotInline]


@admin.register(Contract)
class ContractAdmin(AuditedAdmin):
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
    autocomplete_fields = ["member", "supplier"]


@admin.register(Commitment)
class CommitmentAdmin(AuditedAdmin):
    list_display = ["measure", "financial_year", "scope_label", "basis", "quantity"]
    list_filter = ["financial_year", "measure", "basis"]
