from django.contrib import admin

from socialledger.audit.admin import AuditedAdmin
from socialledger.contracts.models import Commitment, Contract, Framework, Lot
from socialledger.reports.summaries import rebuild


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

    def save_model(self, request, obj, form, change):
        """A contract moved to another framework, member or supplier counts in other scopes now:
        its providers' report summaries are worked out again in the same transaction."""
        moved = change and {"framework", "member", "supplier"} & set(form.changed_data)
        before = (
            Contract.objects.select_related("framework__provider").get(pk=obj.pk) if moved else None
        )
        super().save_model(request, obj, form, change)
        if moved:
            for provider in {before.framework.provider, obj.framework.provider}:
                rebuild(provider)


@admin.register(Commitment)
class CommitmentAdmin(AuditedAdmin):
    list_display = ["measure", "financial_year", "scope_label", "basis", "quantity"]
    list_filter = ["financial_year", "measure", "basis"]
