from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from socialledger.audit.admin import AuditedAdmin
from socialledger.lib.periods import FinancialYear, PeriodError
from socialledger.measures.actions import set_formula
from socialledger.measures.library import LibraryError, parse_formula
from socialledger.measures.models import (
    Dimension,
    FormulaVersion,
    Measure,
    MeasureComponent,
    MeasureRevision,
    OpeningBalance,
)
from socialledger.organisations.models import Organisation
from socialledger.reports.summaries import rebuild


class ComponentInline(admin.TabularInline):
    """The formula in force, read-only: it changes only as a new version (below)."""

    model = MeasureComponent
    fk_name = "derived"
    extra = 0
    readonly_fields = ["component", "coefficient"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class FormulaVersionInline(admin.TabularInline):
    model = FormulaVersion
    extra = 0
    readonly_fields = ["version", "formula", "reason", "first_year", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class MeasureForm(forms.ModelForm):
    """A derived measure's formula changes as a new version, with a reason and a first year."""

    new_formula = forms.CharField(
        required=False,
        help_text="A new formula for a derived measure: codes joined by + and -, e.g. "
        '"jobs-created + jobs-sustained". Leave empty to keep the formula in force.',
    )
    formula_reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    formula_first_year = forms.CharField(
        required=False, help_text='The first financial year it applies to, e.g. "2025-26".'
    )

    class Meta:
        model = Measure
        fields = "__all__"  # noqa: DJ007 - the admin lays out the model's fields itself

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("new_formula"):
            return cleaned
        try:
            cleaned["formula_terms"] = parse_formula(cleaned["new_formula"])
            cleaned["formula_start"] = FinancialYear.parse(
                cleaned.get("formula_first_year", "")
            ).start_year
        except LibraryError as error:
            self.add_error("new_formula", str(error))
        except PeriodError as error:
            self.add_error("formula_first_year", str(error))
        return cleaned


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
    form = MeasureForm
    inlines = [ComponentInline, FormulaVersionInline, RevisionInline]

    def save_model(self, request, obj, form, change):
        """A measure that becomes (or stops being) a stock is counted differently in every
        report: the report summaries of the providers using it are worked out again. A new
        formula is a new version, through the same action as the library file and the API."""
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("formula_terms"):
            try:
                set_formula(
                    obj,
                    form.cleaned_data["formula_terms"],
                    reason=form.cleaned_data.get("formula_reason", ""),
                    first_year=form.cleaned_data["formula_start"],
                    by=request.user,
                    via="admin",
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
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
