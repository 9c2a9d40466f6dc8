"""The forms that add a KPI to a contract and rate one."""

from __future__ import annotations

from django import forms

from socialledger.kpis.models import Rating
from socialledger.measures.models import Measure


class KpiForm(forms.Form):
    title = forms.CharField(max_length=200)
    target = forms.CharField(
        max_length=200,
        required=False,
        help_text='What good looks like, e.g. "20 apprentices a year"',
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    measures = forms.ModelMultipleChoiceField(
        queryset=Measure.objects.none(),
        required=False,
        help_text="Its figure is then computed from the entries; leave empty to enter a figure "
        "with each rating.",
    )

    def __init__(self, *args, provider, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = Measure.objects.available_to(provider)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(choices=Rating.choices)
    period_start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    justification = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    figure = forms.DecimalField(
        required=False, decimal_places=4, help_text="Only for a KPI linked to no measure"
    )
