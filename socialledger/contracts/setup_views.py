"""Setting up on the web (provider officers and admins): frameworks, their lots and appointed
suppliers, contracts, their commitments and their spend. Every change is a contracts action."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialledger.accounts.access import (
    OFFICERS,
    get_contract_for_user,
    ledger_view,
    provider_of,
    visible_commitments,
    visible_frameworks,
    visible_lots,
    visible_organisations,
)
from socialledger.contracts import actions
from socialledger.contracts.forms import (
    AppointForm,
    CommitmentChangeForm,
    CommitmentForm,
    ContractForm,
    EmissionsForm,
    FrameworkForm,
    LotForm,
    ScopedCommitmentForm,
    SpendForm,
)
from socialledger.lib.formpages import form_page
from socialledger.lib.numbers import format_quantity
from socialledger.organisations.models import SlaveryAssessment


@ledger_view(roles=OFFICERS)
def setup_home(request: HttpRequest) -> HttpResponse:
    """Everything a provider sets up, with a way to add each: the first page of a new provider."""
    membership = request.membership
    parties = visible_organisations(membership).order_by("name")
    context = {
        "provider": provider_of(membership),
        "frameworks": visible_frameworks(membership).prefetch_related("lots__suppliers"),
        "members": parties.members(),
        "suppliers": parties.suppliers(),
        "overdue_assessments": SlaveryAssessment.objects.filter(supplier__in=parties.suppliers())
        .overdue_on(timezone.localdate())
        .select_related("supplier")
        .order_by("due_on"),
    }
    return TemplateResponse(request, "setup/home.html", context)


@ledger_view(roles=OFFICERS)
def framework_new(request: HttpRequest) -> HttpResponse:
    provider = provider_of(request.membership)
    form = FrameworkForm(request.POST or None, provider=provider)
    return form_page(
        request,
        form,
        title="Add a framework",
        submit="Add the framework",
        intro="Add its lots next, then appoint suppliers to each lot.",
        carry_out=lambda data: actions.create_framework(provider, by=request.user, **data),
        done=lambda framework: (
            f"{framework} was added.",
            reverse("setup-framework", args=[framework.pk]),
        ),
        back=("set-up", reverse("setup")),
    )


@ledger_view(roles=OFFICERS)
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    lots = framework.lots.prefetch_related("suppliers")
    context = {"framework": framework, "lots": lots}
    return TemplateResponse(request, "setup/framework.html", context)


@ledger_view(roles=OFFICERS)
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    form = FrameworkForm(
        request.POST or None, instance=_framework(request, pk), provider=framework.provider
    )
    return form_page(
        request,
        form,
        title=f"Change {framework}",
        submit="Save the changes",
        carry_out=lambda _data: actions.update_framework(
            framework, by=request.user, **form.changes()
        ),
        done=lambda changed: (f"{changed} was saved.", _framework_url(changed)),
        back=(str(framework), _framework_url(framework)),
    )


@ledger_view(roles=OFFICERS)
def lot_new(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _framework(request, pk)
    form = LotForm(request.POST or None, framework=framework)
    return form_page(
        request,
        form,
        title=f"Add a lot to {framework}",
        submit="Add the lot",
        carry_out=lambda data: actions.create_lot(framework, by=request.user, **data),
        done=lambda lot: (
            f"Lot {lot.reference} was added.",
            reverse("setup-lot", args=[lot.pk]),
        ),
        back=(str(framework), _framework_url(framework)),
    )


@ledger_view(roles=OFFICERS)
def lot_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A lot: its name and value, the suppliers appointed to it, and appointing another."""
    lot = _lot(request, pk)
    form = LotForm(request.POST or None, instance=_lot(request, pk), framework=lot.framework)
    return form_page(
        request,
        form,
        title=f"Lot {lot.reference}: {lot.name}",
        submit="Save the lot",
        carry_out=lambda _data: actions.update_lot(lot, by=request.user, **form.changes()),
        done=lambda changed: (f"Lot {changed.reference} was saved.", _framework_url(lot.framework)),
        back=(str(lot.framework), _framework_url(lot.framework)),
        template="setup/lot.html",
        context={
            "lot": lot,
            "suppliers": lot.suppliers.order_by("name"),
            "appoint_form": AppointForm(lot=lot),
        },
    )


@require_POST
@ledger_view(roles=OFFICERS)
def lot_appoint(request: HttpRequest, pk: int) -> HttpResponse:
    lot = _lot(request, pk)
    form = AppointForm(request.POST, lot=lot)
    if form.is_valid():
        supplier = form.cleaned_data["supplier"]
        actions.appoint_supplier(lot, supplier, by=request.user)
        messages.success(request, f"{supplier} is appointed to lot {lot.reference}.")
    else:
        messages.error(request, "Choose a supplier of yours that is not yet on this lot.")
    return redirect("setup-lot", pk=lot.pk)


@ledger_view(roles=OFFICERS)
def lot_remove_supplier(request: HttpRequest, pk: int, supplier_pk: int) -> HttpResponse:
    """Take a supplier off a lot, once confirmed; refused, with why, while it holds contracts
    under the lot."""
    lot = _lot(request, pk)
    supplier = lot.suppliers.filter(pk=supplier_pk).first()
    if supplier is None:
        raise Http404("No such supplier on this lot.")
    if request.method == "POST":
        try:
            actions.remove_supplier(lot, supplier, by=request.user)
        except ValueError as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"{supplier} is no longer on lot {lot.reference}.")
        return redirect("setup-lot", pk=lot.pk)
    return _confirm(
        request,
        title=f"Take {supplier} off lot {lot.reference}?",
        words=f"No further contract under lot {lot.reference} of {lot.framework} can then be "
        f"let to {supplier}. Its appointment to the framework's other lots stays.",
        submit="Take the supplier off the lot",
        back=(f"lot {lot.reference}", reverse("setup-lot", args=[lot.pk])),
    )


@ledger_view(roles=OFFICERS)
def contract_new(request: HttpRequest) -> HttpResponse:
    provider = provider_of(request.membership)
    form = ContractForm(request.POST or None, provider=provider)
    return form_page(
        request,
        form,
        title="Let a contract",
        submit="Add the contract",
        intro="A call-off under a lot: one member buys from a supplier appointed to that lot.",
        carry_out=lambda data: actions.create_contract(data.pop("lot"), by=request.user, **data),
        done=lambda contract: (f"{contract} was added.", _contract_url(contract)),
        back=("contracts", reverse("contract-list")),
    )


@ledger_view(roles=OFFICERS)
def contract_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.membership, pk)
    form = ContractForm(
        request.POST or None,
        instance=get_contract_for_user(request.membership, pk),
        provider=contract.provider,
    )
    return form_page(
        request,
        form,
        title=f"Change {contract.reference}",
        submit="Save the changes",
        intro="Its lot, member and supplier stay as they are; let a new contract to change them.",
        carry_out=lambda _data: actions.update_contract(
            contract, by=request.user, **form.changes()
        ),
        done=lambda changed: (f"{changed} was saved.", _contract_url(changed)),
        back=(contract.reference, _contract_url(contract)),
    )


@ledger_view(roles=OFFICERS)
def commitment_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a target on a contract for a year (replacing any for that measure and year)."""
    contract = get_contract_for_user(request.membership, pk)
    form = CommitmentForm(request.POST or None, provider=contract.provider)
    return form_page(
        request,
        form,
        title=f"Set a commitment on {contract.reference}",
        submit="Set the commitment",
        intro="A target for one measure and financial year: a quantity, or a rate per £1m of "
        "the contract's value. Setting one again for the same measure and year replaces it.",
        carry_out=lambda data: actions.set_commitment(
            contract.provider,
            contract=contract,
            measure=data["measure"],
            financial_year=data["year"],
            basis=data["basis"],
            quantity=data["quantity"],
            note=data["note"],
            by=request.user,
        ),
        done=lambda commitment: (
            f"The commitment for {commitment.measure} was set.",
            _contract_url(contract) + "#commitments",
        ),
        back=(contract.reference, _contract_url(contract)),
    )


@ledger_view(roles=OFFICERS)
def commitments(request: HttpRequest) -> HttpResponse:
    """The targets set above the contract level: on the whole provider, a framework or a
    member, latest year first; each may be changed or removed."""
    above = (
        visible_commitments(request.membership)
        .filter(contract__isnull=True)
        .select_related("measure", "framework", "member", "provider")
        .order_by("-financial_year", "framework__name", "member__name", "measure__code")
    )
    context = {"provider": provider_of(request.membership), "commitments": above}
    return TemplateResponse(request, "setup/commitments.html", context)


@ledger_view(roles=OFFICERS)
def commitment_set(request: HttpRequest) -> HttpResponse:
    """Set a target on the whole provider, a framework or a member for a year (replacing any
    for that measure, year and scope)."""
    provider = provider_of(request.membership)
    return form_page(
        request,
        ScopedCommitmentForm(request.POST or None, provider=provider),
        title="Set a commitment",
        submit="Set the commitment",
        intro="A target for one measure and financial year, on the whole provider, one "
        "framework or one member; reports judge it on everything delivered there. Targets on "
        "one contract are set on the contract's page. Setting one again for the same measure, "
        "year and scope replaces it.",
        carry_out=lambda data: actions.set_commitment(
            provider,
            measure=data["measure"],
            financial_year=data["year"],
            quantity=data["quantity"],
            note=data["note"],
            by=request.user,
            **data["scope"],
        ),
        done=lambda commitment: (
            f"The commitment for {commitment.measure} on {commitment.scope_label} was set.",
            reverse("setup-commitments"),
        ),
        back=("commitments", reverse("setup-commitments")),
    )


@ledger_view(roles=OFFICERS)
def commitment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a target's quantity (on a contract, its basis too) and note."""
    commitment = _commitment(request, pk)
    return form_page(
        request,
        CommitmentChangeForm(request.POST or None, commitment=commitment),
        title=f"Change the commitment for {commitment.measure}",
        submit="Save the commitment",
        intro=f"{commitment.year_label}, on {commitment.scope_label}. To set one for another "
        "measure, year or scope, set a new commitment.",
        carry_out=lambda data: actions.set_commitment(
            commitment.provider,
            measure=commitment.measure,
            financial_year=commitment.financial_year,
            contract=commitment.contract,
            framework=commitment.framework,
            member=commitment.member,
            quantity=data["quantity"],
            basis=data.get("basis", commitment.basis),
            note=data["note"],
            by=request.user,
        ),
        done=lambda changed: (
            f"The commitment for {changed.measure} was saved.",
            _commitment_home(changed),
        ),
        back=_commitment_back(commitment),
    )


@ledger_view(roles=OFFICERS)
def commitment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a target, once confirmed; the audit log keeps what it was."""
    commitment = _commitment(request, pk)
    if request.method == "POST":
        home = _commitment_home(commitment)
        actions.remove_commitment(commitment, by=request.user)
        messages.success(request, f"The commitment for {commitment.measure} was removed.")
        return redirect(home)
    return _confirm(
        request,
        title=f"Remove the commitment for {commitment.measure}?",
        words=f"{commitment.year_label}, on {commitment.scope_label}: "
        f"{format_quantity(commitment.quantity)}"
        f"{' per £1m' if commitment.basis == commitment.Basis.PER_MILLION else ''}. Reports "
        "will no longer judge delivery against it; the audit log keeps what it was.",
        submit="Remove the commitment",
        back=_commitment_back(commitment),
    )


@ledger_view(roles=OFFICERS)
def spend_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what was spent on a contract in a period (replacing any for that period)."""
    contract = get_contract_for_user(request.membership, pk)
    return form_page(
        request,
        SpendForm(request.POST or None),
        title=f"Record spend on {contract.reference}",
        submit="Record the spend",
        intro="Spend decides which contracts a return round covers. Recording a period again "
        "replaces its figure.",
        carry_out=lambda data: actions.record_spend(contract, by=request.user, **data),
        done=lambda spend: (
            f"£{spend.amount} to {spend.period_end:%d %b %Y} was recorded.",
            _contract_url(contract) + "#spend",
        ),
        back=(contract.reference, _contract_url(contract)),
    )


@ledger_view(roles=OFFICERS)
def emissions_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a contract's emissions for a year (replacing any for that year), in tonnes."""
    contract = get_contract_for_user(request.membership, pk)
    form = EmissionsForm(request.POST or None, provider=contract.provider)
    return form_page(
        request,
        form,
        title=f"Record the carbon of {contract.reference}",
        submit="Record the emissions",
        intro="Tonnes of CO2e from the supplier's carbon reduction plan: the year's emissions, "
        "its baseline and its commitment. Carbon is reported apart and never valued in £. "
        "Recording a year again replaces its figures.",
        carry_out=lambda data: actions.record_emissions(
            contract, by=request.user, via="web", **form.arguments()
        ),
        done=lambda emissions: (
            f"{emissions.total} tCO2e for {emissions.label(emissions.financial_year)} recorded.",
            _contract_url(contract) + "#carbon",
        ),
        back=(contract.reference, _contract_url(contract)),
    )


def _confirm(request, *, title: str, words: str, submit: str, back: tuple[str, str]):
    """A page asking to confirm a change that takes something away; it posts to itself."""
    context = {"title": title, "words": words, "submit": submit, "back": back}
    return TemplateResponse(request, "setup/confirm.html", context)


def _commitment(request, pk: int):
    found = visible_commitments(request.membership).select_related("measure", "contract")
    commitment = found.filter(pk=pk).first()
    if commitment is None:
        raise Http404("No such commitment.")
    return commitment


def _commitment_home(commitment) -> str:
    if commitment.contract_id:
        return _contract_url(commitment.contract) + "#commitments"
    return reverse("setup-commitments")


def _commitment_back(commitment) -> tuple[str, str]:
    if commitment.contract_id:
        return (commitment.contract.reference, _contract_url(commitment.contract))
    return ("commitments", reverse("setup-commitments"))


def _framework(request, pk: int):
    framework = visible_frameworks(request.membership).filter(pk=pk).first()
    if framework is None:
        raise Http404("No such framework.")
    return framework


def _lot(request, pk: int):
    lot = visible_lots(request.membership).select_related("framework").filter(pk=pk).first()
    if lot is None:
        raise Http404("No such lot.")
    return lot


def _framework_url(framework) -> str:
    return reverse("setup-framework", args=[framework.pk])


def _contract_url(contract) -> str:
    return reverse("contract-detail", args=[contract.pk])
