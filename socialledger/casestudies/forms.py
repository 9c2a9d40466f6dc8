"""The case study forms: what a person types, checked before an action is called."""

from __future__ import annotations

from django import forms

from socialledger.casestudies.models import Use


class CaseStudyForm(forms.Form):
    contract = forms.ModelChoiceField(queryset=None, label="Contract")
    year = forms.CharField(label="Financial year", help_text="For example 2023-24.")
    title = forms.CharField(max_length=200)
    story = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}))
    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="A quote (optional)"
    )
    quoted = forms.CharField(max_length=200, required=False, label="Who said it")
    measures = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="The measures it illustrates",
    )

    def __init__(self, *args, contracts, measures, provider, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.fields["contract"].queryset = contracts
        self.fields["measures"].queryset = measures

    def clean_year(self) -> int:
        from socialledger.lib.periods import PeriodError

        try:
            return self.provider.parse_year(self.cleaned_data["year"]).start_year
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None


class PhotoForm(forms.Form):
    photo = forms.FileField(
        help_text="A JPEG, PNG or WebP image; location and camera data are removed."
    )
    alt_text = forms.CharField(
        max_length=300,
        label="What the photo shows",
        help_text="Read out to people who cannot see it.",
    )


class ConsentForm(forms.Form):
    person = forms.CharField(max_length=200, label="Person named or shown")
    given_by = forms.CharField(
        max_length=200, label="Consent given by", help_text="The person, or who gave it for them."
    )
    given_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Given on")
    until = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
        label="Until",
        help_text="Leave blank for until withdrawn.",
    )
    uses = forms.MultipleChoiceField(
        choices=Use.choices, widget=forms.CheckboxSelectMultiple, label="Agreed uses"
    )

    def clean(self):
        cleaned = super().clean()
        given, until = cleaned.get("given_on"), cleaned.get("until")
        if given and until and until < given:
            self.add_error("until", "Consent cannot end before it was given.")
        return cleaned
