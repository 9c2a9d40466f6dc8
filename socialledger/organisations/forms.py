"""The form for registering (or changing) a member or supplier."""

from __future__ import annotations

from django import forms

from socialledger.organisations.actions import ORGANISATION_FIELDS
from socialledger.organisations.models import Organisation, tidy_postcode


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["reference", *ORGANISATION_FIELDS]
        help_texts = {
            "reference": "A short code used in spreadsheets, e.g. LFH; it cannot change later."
        }

    def __init__(self, *args, provider: Organisation, kind: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.provider, self.instance.kind = provider, kind
        if self.instance.pk:
            del self.fields["reference"]
        if kind != Organisation.Kind.MEMBER:
            del self.fields["local_districts"]
        self.fields["size_checked_on"].widget = forms.DateInput(attrs={"type": "date"})

    def clean_postcode(self) -> str:
        return tidy_postcode(self.cleaned_data["postcode"])

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in ORGANISATION_FIELDS}


class SlaveryAssessmentForm(forms.Form):
    """A supplier's modern slavery risk assessment for a year."""

    year = forms.CharField(label="Financial year", max_length=7, help_text="e.g. 2024-25")
    due_on = forms.DateField(label="Due by", widget=forms.DateInput(attrs={"type": "date"}))
    done = forms.BooleanField(label="Done", required=False)
    done_on = forms.DateField(
        label="Done on", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    evidence = forms.CharField(label="Evidence", max_length=500, required=False)
    follow_up = forms.CharField(
        label="Follow-up actions", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, supplier: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.supplier = supplier

    def clean_year(self) -> int:
        from socialledger.lib.periods import PeriodError

        try:
            return self.supplier.parse_year(self.cleaned_data["year"]).start_year
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None
