"""Setting up frameworks, lots and contracts, and the commitments made on them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from socialledger.audit.actions import record, record_changes
from socialledger.contracts.models import (
    SCOPE_3_CATEGORIES,
    Commitment,
    Contract,
    Emissions,
    Framework,
    Lot,
    Spend,
    Subcontract,
)
from socialledger.organisations.models import Organisation

# What an update may change (who buys from whom, and under which lot, never changes).
FRAMEWORK_FIELDS = ("name", "description", "starts_on", "ends_on", "value", "ocid")
LOT_FIELDS = ("name", "value")
CONTRACT_FIELDS = ("title", "value", "starts_on", "ends_on", "location", "ocid", "ocds_id")


@transaction.atomic
def create_framework(
    provider: Organisation,
    *,
    reference: str,
    name: str,
    starts_on: date,
    ends_on: date,
    by,
    value: Decimal | None = None,
    description: str = "",
    ocid: str = "",
    via: str = "",
) -> Framework:
    """Add a framework to a provider."""
    framework = Framework(
        provider=provider,
        reference=reference,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        value=value,
        description=description,
        ocid=ocid,
    )
    framework.full_clean()
    framework.save()
    record(framework, "framework.created", by=by, provider=provider, after={"name": name}, via=via)
    return framework


@transaction.atomic
def update_framework(framework: Framework, *, by, via: str = "", **changes) -> Framework:
    """Change a framework's name, dates, value or OCDS id; its reference stays."""
    return _update(framework, changes, FRAMEWORK_FIELDS, "framework.changed", by, via)


@transaction.atomic
def update_lot(lot: Lot, *, by, via: str = "", **changes) -> Lot:
    """Change a lot's name or value; its reference stays."""
    return _update(lot, changes, LOT_FIELDS, "lot.changed", by, via)


@transaction.atomic
def update_contract(contract: Contract, *, by, via: str = "", **changes) -> Contract:
    """Change a contract's title, value, term, location or OCDS ids; its parties and lot stay."""
    return _update(contract, changes, CONTRACT_FIELDS, "contract.changed", by, via)


def _update(obj, changes: dict, allowed: tuple[str, ...], action: str, by, via: str):
    provider = obj.provider if isinstance(obj, (Framework, Contract)) else obj.framework.provider
    return record_changes(
        obj, changes, allowed=allowed, action=action, by=by, provider=provider, via=via
    )


@transaction.atomic
def create_lot(
    framework: Framework,
    *,
    reference: str,
    name: str,
    by,
    value: Decimal | None = None,
    via: str = "",
) -> Lot:
    """Add a lot to a framework."""
    lot = Lot(framework=framework, reference=reference, name=name, value=value)
    lot.full_clean()
    lot.save()
    record(lot, "lot.created", by=by, provider=framework.provider, after={"name": name}, via=via)
    return lot


@transaction.atomic
def appoint_supplier(lot: Lot, supplier: Organisation, *, by, via: str = "") -> None:
    """Appoint a supplier to a lot, so contracts under that lot may be let to it."""
    if (
        supplier.kind != Organisation.Kind.SUPPLIER
        or supplier.provider_id != lot.framework.provider_id
    ):
        raise ValueError(f"{supplier} is not a supplier of {lot.framework.provider}.")
    if lot.suppliers.filter(pk=supplier.pk).exists():
        return
    lot.suppliers.add(supplier)
    record(
        lot,
        "lot.supplier_appointed",
        by=by,
        provider=lot.framework.provider,
        after={"supplier": supplier.reference},
        via=via,
    )


@transaction.atomic
def remove_supplier(lot: Lot, supplier: Organisation, *, by, via: str = "") -> None:
    """Take a supplier off a lot, so no further contract under it may be let to the supplier.
    Refused while the supplier has contracts under the lot: they would be let to a supplier
    the lot no longer has."""
    if not lot.suppliers.filter(pk=supplier.pk).exists():
        raise ValueError(f"{supplier} is not appointed to lot {lot.reference}.")
    held = lot.contracts.filter(supplier=supplier).order_by("reference")
    if held.exists():
        references = ", ".join(held.values_list("reference", flat=True)[:5])
        more = held.count() - 5
        listed = references + (f" and {more} more" if more > 0 else "")
        raise ValueError(
            f"{supplier} cannot be taken off lot {lot.reference}: it holds contracts under the "
            f"lot ({listed}). A supplier stays on a lot while it has contracts under it."
        )
    lot.suppliers.remove(supplier)
    record(
        lot,
        "lot.supplier_removed",
        by=by,
        provider=lot.framework.provider,
        before={"supplier": supplier.reference},
        via=via,
    )


@transaction.atomic
def create_contract(
    lot: Lot,
    *,
    reference: str,
    title: str,
    member: Organisation,
    supplier: Organisation,
    value: Decimal,
    starts_on: date,
    by,
    ends_on: date | None = None,
    location: str = "",
    ocid: str = "",
    ocds_id: str = "",
    via: str = "",
) -> Contract:
    """Let a call-off contract under a lot; the supplier must be appointed to the lot."""
    if not lot.suppliers.filter(pk=supplier.pk).exists():
        raise ValueError(f"{supplier} is not appointed to {lot}.")
    contract = Contract(
        framework=lot.framework,
        lot=lot,
        reference=reference,
        title=title,
        member=member,
        supplier=supplier,
        value=value,
        starts_on=starts_on,
        ends_on=ends_on,
        location=location,
        ocid=ocid,
        ocds_id=ocds_id,
    )
    contract.full_clean()
    contract.save()
    record(
        contract,
        "contract.created",
        by=by,
        provider=lot.framework.provider,
        after={
            "reference": reference,
            "value": str(value),
            "member": member.reference,
            "supplier": supplier.reference,
        },
        via=via,
    )
    return contract


@transaction.atomic
def set_commitment(
    provider: Organisation,
    *,
    measure,
    financial_year: int,
    quantity: Decimal,
    by,
    contract: Contract | None = None,
    framework: Framework | None = None,
    member: Organisation | None = None,
    basis: str = Commitment.Basis.ABSOLUTE,
    note: str = "",
    via: str = "",
) -> Commitment:
    """Set (or replace) the target for a measure and year on one scope."""
    existing = Commitment.objects.filter(
        provider=provider,
        measure=measure,
        financial_year=financial_year,
        contract=contract,
        framework=framework,
        member=member,
    ).first()
    before = {"quantity": str(existing.quantity), "basis": existing.basis} if existing else None
    commitment = existing or Commitment(
        provider=provider,
        measure=measure,
        financial_year=financial_year,
        contract=contract,
        framework=framework,
        member=member,
    )
    commitment.quantity, commitment.basis, commitment.note = quantity, basis, note
    commitment.full_clean()
    commitment.save()
    record(
        commitment,
        "commitment.set",
        by=by,
        provider=provider,
        before=before,
        after={"quantity": str(quantity), "basis": basis, "scope": commitment.scope_label},
        via=via,
    )
    return commitment


@transaction.atomic
def remove_commitment(commitment: Commitment, *, by, via: str = "") -> None:
    """Withdraw a target: reports stop judging delivery against it. The audit log keeps what
    it was."""
    record(
        commitment,
        "commitment.removed",
        by=by,
        provider=commitment.provider,
        before={
            "measure": commitment.measure.code,
            "financial_year": commitment.financial_year,
            "quantity": str(commitment.quantity),
            "basis": commitment.basis,
            "scope": commitment.scope_label,
        },
        via=via,
    )
    commitment.delete()


@transaction.atomic
def record_spend(
    contract: Contract, *, period_end: date, amount: Decimal, by, via: str = ""
) -> Spend:
    """Record (or correct) what was spent on a contract in the period ending on a date: the one
    figure of spend that rounds use to decide which contracts a return must cover."""
    spend = Spend.objects.filter(contract=contract, period_end=period_end).first()
    before = {"amount": str(spend.amount)} if spend else None
    if spend and spend.amount == amount:
        return spend
    spend = spend or Spend(contract=contract, period_end=period_end)
    spend.amount = amount
    spend.full_clean()
    spend.save()
    record(
        contract,
        "contract.spend_recorded",
        by=by,
        provider=contract.framework.provider,
        before=before,
        after={"period_end": period_end.isoformat(), "amount": str(amount)},
        via=via,
    )
    return spend


@transaction.atomic
def record_emissions(
    contract: Contract,
    *,
    financial_year: int,
    scope_1: Decimal,
    scope_2: Decimal,
    scope_3: dict[str, Decimal],
    baseline_year: int,
    baseline: Decimal,
    commitment_year: int,
    commitment: Decimal,
    by,
    via: str = "",
) -> Emissions:
    """Record (or correct) a contract's emissions for a year in tonnes of CO2e, with its carbon
    reduction plan's baseline and commitment; scope 3 only in the categories a plan reports."""
    unknown = set(scope_3) - set(SCOPE_3_CATEGORIES)
    if unknown:
        raise ValueError(f"Not a scope 3 category a carbon reduction plan reports: {unknown}.")
    tonnes = [scope_1, scope_2, baseline, commitment, *scope_3.values()]
    if any(Decimal(t) < 0 or Decimal(t) != round(Decimal(t), 2) for t in tonnes):
        raise ValueError("Give tonnes of CO2e to two decimal places, none negative.")
    found = Emissions.objects.filter(contract=contract, financial_year=financial_year).first()
    emissions = found or Emissions(contract=contract, financial_year=financial_year)
    before = _emissions_words(emissions) if found else None
    emissions.scope_1, emissions.scope_2 = Decimal(scope_1), Decimal(scope_2)
    emissions.scope_3 = {k: str(Decimal(v)) for k, v in sorted(scope_3.items())}
    emissions.baseline_year, emissions.baseline = baseline_year, Decimal(baseline)
    emissions.commitment_year, emissions.commitment = commitment_year, Decimal(commitment)
    emissions.full_clean()
    emissions.save()
    record(
        contract,
        "contract.emissions_recorded",
        by=by,
        provider=contract.provider,
        before=before,
        after=_emissions_words(emissions),
        via=via,
    )
    return emissions


def _emissions_words(emissions: Emissions) -> dict:
    return {
        "year": emissions.financial_year,
        "scope_1": str(emissions.scope_1),
        "scope_2": str(emissions.scope_2),
        "scope_3": dict(emissions.scope_3),
        "baseline": f"{emissions.baseline} in {emissions.baseline_year}",
        "commitment": f"{emissions.commitment} by {emissions.commitment_year}",
    }


class SupplyChainError(Exception):
    """A subcontractor that cannot be named as asked; the message says why."""


@transaction.atomic
def name_subcontractor(
    contract: Contract,
    *,
    name: str,
    companies_house_number: str = "",
    under: Subcontract | None = None,
    by,
    via: str = "",
) -> Subcontract:
    """Name a subcontractor on a contract, below the supplier or below another subcontractor.

    It is the organisation in the provider's register with that Companies House number (or, with
    none given, that exact name), registered as a supplier if new: one firm is one organisation
    however many suppliers it works for, so what it delivers is never counted twice.
    """
    from socialledger.organisations.actions import find_or_register_supplier

    if under is not None and under.contract_id != contract.pk:
        raise SupplyChainError(
            f"{under.subcontractor} is not in the supply chain of this contract."
        )
    firm = find_or_register_supplier(
        contract.provider, name=name, companies_house_number=companies_house_number, by=by, via=via
    )
    if firm.pk == contract.supplier_id:
        raise SupplyChainError(f"{firm} holds this contract; it cannot also be its subcontractor.")
    if contract.subcontracts.filter(subcontractor=firm).exists():
        raise SupplyChainError(f"{firm} is already named on {contract.reference}.")
    subcontract = Subcontract.objects.create(
        contract=contract, subcontractor=firm, under=under, tier=under.tier + 1 if under else 2
    )
    record(
        subcontract,
        "contract.subcontractor_named",
        by=by,
        provider=contract.provider,
        after={
            "contract": contract.reference,
            "subcontractor": firm.reference,
            "tier": subcontract.tier,
            "works_for": subcontract.works_for.reference,
        },
        via=via,
    )
    return subcontract


def invite_subcontractor_staff(subcontract: Subcontract, *, email: str, by, link_for):
    """Invite a person to act for a subcontractor, as its contributor, from the firm it works
    for. Only a firm that is nothing but a subcontractor in the register, and is named only
    below the inviting firm (or has nobody acting for it yet), may be invited to this way: no
    one can invite themselves into a supplier's returns, or into what a firm delivered for
    another supplier. Anyone else is invited by the provider."""
    from socialledger.accounts.actions import invite_person
    from socialledger.accounts.models import Role

    firm, inviter = subcontract.subcontractor, subcontract.works_for
    holds_contracts = firm.contracts_supplied.exists() or firm.lots.exists()
    works_for_others = any(
        other.works_for.pk != inviter.pk
        for other in firm.subcontracts.select_related("contract__supplier", "under__subcontractor")
    )
    if holds_contracts or (works_for_others and firm.memberships.active().exists()):
        raise SupplyChainError(
            f"{firm} already works with the ledger beyond your contracts; ask the provider to "
            "invite its people."
        )
    return invite_person(
        firm, email=email, role=Role.SUPPLIER_CONTRIBUTOR, by=by, link_for=link_for
    )
