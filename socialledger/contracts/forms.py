"""Forms for setting up frameworks, lots, contracts, their commitments and their spend.

Each form only maps fields to an action's arguments; the action checks and writes.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms

from socialledger.contracts.actions import CONTRACT_FIELDS, FRAMEWORK_FIELDS, LOT_FIELDS
from socialledger.contracts.models import SCOPE_3_CATEGORIES, Commitment, Contract, Framework, Lot
from socialledger.lib.periods import PeriodError
from socialledger.measures.models import Measure
from socialledger.organisations.models import Organisation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FrameworkForm(forms.ModelForm):
    class Meta:
        model = Framework
        fields = ["reference", "name", "description", "starts_on", "ends_on", "value"]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"value": "Estimated value (£)"}
        help_texts = {"value": "", "reference": "A short code, e.g. DEC; it cannot change later."}

    def __init__(self, *args, provider: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.provider = provider
        _fix_reference(self)

    def changes(self) -> dict:
        return _changes(self, FRAMEWORK_FIELDS)


class LotForm(forms.ModelForm):
    class Meta:
        model = Lot
        fields = ["reference", "name", "value"]
        labels = {"value": "Estimated value (£)"}
        help_texts = {"value": "", "reference": "A short code, e.g. 1 or 2A."}

    def __init__(self, *args, framework: Framework, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instance.framework = framework
        _fix_reference(self)

    def changes(self) -> dict:
        return _changes(self, LOT_FIELDS)


class AppointForm(forms.Form):
    supplier = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Supplier to appoint to this lot"
    )

    def __init__(self, *args, lot: Lot, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = (
            Organisation.objects.in_provider(lot.framework.provider)
            .suppliers()
            .exclude(lots=lot)
            .order_by("name")
        )


class ContractForm(forms.ModelForm):
    """A new contract names its lot, member and supplier; an edit changes only the rest."""

    class Meta:
        model = Contract
        fields = [
            "lot",
            "reference",
            "title",
            "member",
            "supplier",
            "value",
            "starts_on",
            "ends_on",
            "location",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE}
        labels = {"value": "Contract value (£)", "lot": "Framework and lot"}
        help_texts = {"value": "", "reference": "Unique within its framework, e.g. DEC-014."}

    def __init__(self, *args, provider: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        parties = Organisation.objects.in_provider(provider).order_by("name")
        if self.instance.pk:
            for name in ("lot", "reference", "member", "supplier"):
                del self.fields[name]
            return
        self.fields["lot"].queryset = Lot.objects.filter(
            framework__provider=provider
        ).select_related("framework")
        self.fields["member"].queryset = parties.members()
        self.fields["supplier"].queryset = parties.suppliers()
        self.fields["supplier"].help_text = "It must be appointed to the lot."

    def _post_clean(self) -> None:
        lot = self.cleaned_data.get("lot")
        if lot is not None:
            self.instance.framework = lot.framework
        super()._post_clean()

    def changes(self) -> dict:
        return _changes(self, CONTRACT_FIELDS)


class CommitmentForm(forms.Form):
    """A target on a contract for a financial year."""

    measure = forms.ModelChoiceField(queryset=Measure.objects.none())
    year = forms.CharField(label="Financial year", help_text='e.g. "2024-25"')
    basis = forms.ChoiceField(choices=Commitment.Basis.choices)
    quantity = forms.DecimalField(min_value=Decimal(0), decimal_places=4, max_digits=16)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, provider: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.provider = provider
        self.fields["measure"].queryset = Measure.objects.available_to(provider)

    def clean_year(self):
        try:
            return self.provider.parse_year(self.cleaned_data["year"]).start_year
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from None


class ScopedCommitmentForm(CommitmentForm):
    """A target above the contract level: on the whole provider, a framework or a member. Such a
    target is a quantity (a rate per £1m applies only to a contract's value)."""

    scope = forms.ChoiceField(label="Set on")
    field_order = ["scope", "measure", "year", "quantity", "note"]

    def __init__(self, *args, provider: Organisation, **kwargs) -> None:
        super().__init__(*args, provider=provider, **kwargs)
        del self.fields["basis"]
        self.frameworks = {f"framework:{f.pk}": f for f in provider.frameworks.order_by("name")}
        members = Organisation.objects.in_provider(provider).members().order_by("name")
        self.members = {f"member:{m.pk}": m for m in members}
        self.fields["scope"].choices = [
            ("provider", f"The whole of {provider}"),
            ("Frameworks", [(key, str(f)) for key, f in self.frameworks.items()]),
            ("Members", [(key, m.name) for key, m in self.members.items()]),
        ]

    def clean_scope(self) -> dict:
        """The scope as the action's keyword: framework=…, member=…, or nothing (the provider)."""
        chosen = self.cleaned_data["scope"]
        if chosen in self.frameworks:
            return {"framework": self.frameworks[chosen]}
        if chosen in self.members:
            return {"member": self.members[chosen]}
        return {}


class CommitmentChangeForm(forms.Form):
    """A target's quantity (and, on a contract, its basis) and note; its measure, year and
    scope stay, since another of those is another commitment."""

    basis = forms.ChoiceField(choices=Commitment.Basis.choices)
    quantity = forms.DecimalField(min_value=Decimal(0), decimal_places=4, max_digits=16)
    note = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, commitment: Commitment, **kwargs) -> None:
        initial = {
            "basis": commitment.basis,
            "quantity": commitment.quantity,
            "note": commitment.note,
        }
        super().__init__(*args, initial=initial, **kwargs)
        if not commitment.contract_id:
            del self.fields["basis"]


class SpendForm(forms.Form):
    period_end = forms.DateField(
        widget=DATE, label="Period ending", help_text="e.g. the last day of a quarter"
    )
    amount = forms.DecimalField(
        label="Spent in the period (£)", min_value=Decimal(0), decimal_places=2, max_digits=15
    )


def _tonnes(label: str, **options) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal(0), decimal_places=2, max_digits=12, **options
    )


def _year(label: str) -> forms.CharField:
    return forms.CharField(label=label, max_length=7, help_text="e.g. 2023-24")


class EmissionsForm(forms.Form):
    """A contract's emissions for a year from its carbon reduction plan, in tonnes of CO2e."""

    year = _year("Financial year")
    scope_1 = _tonnes("Scope 1: direct emissions (tCO2e)")
    scope_2 = _tonnes("Scope 2: electricity and heat bought (tCO2e)")
    baseline_year = _year("Baseline year")
    baseline = _tonnes("Baseline emissions (tCO2e)")
    commitment_year = _year("Commitment year")
    commitment = _tonnes("Committed emissions by then (tCO2e)")

    def __init__(self, *args, provider: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.provider = provider
        for number, name in SCOPE_3_CATEGORIES.items():
            self.fields[f"scope_3_{number}"] = _tonnes(
                f"Scope 3, {name.lower()} (tCO2e)", required=False
            )

    def clean(self) -> dict:
        data = super().clean()
        for name in ("year", "baseline_year", "commitment_year"):
            if data.get(name):
                try:
                    data[name] = self.provider.parse_year(data[name]).start_year
                except PeriodError as error:
                    self.add_error(name, str(error))
        return data

    def arguments(self) -> dict:
        """The cleaned form as record_emissions takes it."""
        data = self.cleaned_data
        scope_3 = {
            number: data[f"scope_3_{number}"]
            for number in SCOPE_3_CATEGORIES
            if data.get(f"scope_3_{number}") is not None
        }
        keep = ("scope_1", "scope_2", "baseline_year", "baseline", "commitment_year", "commitment")
        return {
            "financial_year": data["year"],
            "scope_3": scope_3,
            **{name: data[name] for name in keep},
        }


def _fix_reference(form: forms.ModelForm) -> None:
    """A reference names the object in files and links, so it is set once and never edited."""
    if form.instance.pk:
        del form.fields["reference"]


def _changes(form: forms.ModelForm, allowed: tuple[str, ...]) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if name in allowed}
