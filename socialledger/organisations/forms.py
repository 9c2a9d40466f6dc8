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
