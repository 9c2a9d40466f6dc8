from django.contrib import admin

from socialledger.audit.admin import ReadOnlyAdmin
from socialledger.valuation.models import MeasureValue, ValueSet, ValueSetChoice


class MeasureValueInline(admin.TabularInline):
    model = MeasureValue
    extra = 0
    can_delete = False
    fields = ["measure", "low", "central", "high", "price_year", "licence", "source"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ValueSet)
class ValueSetAdmin(ReadOnlyAdmin):
    """Value sets are never edited: a change is a new version, loaded by import."""

    list_display = ["name", "version", "code", "provider", "created_at"]
    inlines = [MeasureValueInline]


@admin.register(ValueSetChoice)
class ValueSetChoiceAdmin(ReadOnlyAdmin):
    """The dated history of which set each provider valued its figures with."""

    list_display = ["provider", "value_set", "chosen_at", "chosen_by", "reason"]
