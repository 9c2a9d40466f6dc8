"""The form that opens a return round."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone

from socialledger.contracts.models import Framework
from socialledger.lib.periods import FinancialYear, PeriodError


class RoundForm(forms.Form):
    name = forms.CharField(max_length=120, help_text='e.g. "Annual return 2024-25"')
    year = forms.CharField(
        label="Financial year", help_text='The year the return covers, e.g. "2024-25".'
    )
    # A date picker where the browser has one; typed, the date is day, month, year. The value is
    # written back as ISO (what a date input reads), so it is kept after an error.
    opens_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="Day, month and year, for example 1 April 2025 (or 01/04/2025).",
    )
    closes_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="Day, month and year, for example 30 June 2025 (or 30/06/2025).",
    )
    min_spend = forms.DecimalField(
        label="Spend that brings a contract into scope (£, in the 12 months to the year's end)",
        min_value=Decimal(0),
        decimal_places=2,
        initial=Decimal(100_000),
    )
    always_included = forms.ModelMultipleChoiceField(
        queryset=Framework.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Frameworks whose every live contract is in scope, whatever its spend",
    )

    def __init__(self, *args, provider, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.fields["always_included"].queryset = Framework.objects.for_provider(provider)
        today = timezone.localdate()
        self.fields["opens_on"].initial = today
        self.fields["closes_on"].initial = today + timedelta(days=42)
        # By default the last complete financial year: returns are asked for after it ends.
        current = FinancialYear.containing(today, provider.year_start_month)
        self.fields["year"].initial = current.previous.label

    def clean_year(self):
        try:
            return self.provider.parse_year(self.cleaned_data["year"])
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "The round must close on or after the day it opens.")
        return data
