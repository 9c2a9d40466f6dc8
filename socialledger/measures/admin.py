from django.contrib import admin

from socialledger.audit.admin import AuditedAdmin
from socialledger.measures.models import (
    Dimension,
    Measure,
    MeasureComponent,
    MeasureRevision,
    OpeningBalance,
)
from socialledger.organisations.models import Organisation
from socialledger.reports.summaries import rebuild


class ComponentInline(admin.TabularInline):
    model = MeasureComponent
    fk_name = "derived"
    extra = 0


class RevisionInline(admin.TabularInline):
    model = MeasureRevision
    extra = 0
    readonly_fields = ["version", "definition", "reason", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin):
    list_display = ["code", "name", "unit", "kind", "aggregation", "version", "provider"]
    list_filter = ["kind", "unit", "provider"]
    search_fields = ["code", "name"]
    readonly_fields = ["version"]
    filter_horizontal = ["dimensions"]
    inlines = [ComponentInline, RevisionInline]

    def save_model(self, request, obj, form, change):
        """A measure that becomes (or stops being) a stock is counted differently in every
        report: the report summaries of the providers using it are worked out again."""
        super().save_model(request, obj, form, change)
        if change and "aggregation" in form.changed_data:
            providers = [obj.provider] if obj.provider else Organisation.objects.providers()
            for provider in providers:
                rebuild(provider)


@admin.register(Dimension)
class DimensionAdmin(AuditedAdmin):
    list_display = ["code", "name", "closed"]


@admin.register(OpeningBalance)
class OpeningBalanceAdmin(AuditedAdmin):
    list_display = ["provider", "figure", "measure", "quantity", "covers_until"]
