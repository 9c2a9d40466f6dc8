"""The demo's supply chain, spend lines and carbon (northway.toml [supply_chain] and
[[emissions]]), through the same actions as the pages: subcontractors named on contracts enter
their parts of a supplier's return, which the supplier accepts and the officer verifies.

What the subcontractors delivered is taken from the supplier's own figures, so every total the
demo publishes stays as it was.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.contrib.auth import get_user_model

from socialledger.accounts.actions import add_membership
from socialledger.contracts.actions import name_subcontractor, record_emissions
from socialledger.contracts.models import Contract
from socialledger.measures.models import Measure
from socialledger.organisations.actions import register_organisation, update_organisation
from socialledger.organisations.models import Organisation
from socialledger.returns import actions, supply_chain
from socialledger.returns.figures import figure
from socialledger.returns.spend_lines import record_spend_line

VIA = "demo"


def build_supply_chain(provider: Organisation, data: dict, password: str) -> None:
    """Name the subcontractors, move their figures into their parts, class the firms paid in the
    register, record the spend lines, verify the return again, and record the carbon."""
    spec = data["supply_chain"]
    year = provider.parse_year(spec["year"])
    contracts = {c.reference: c for c in Contract.objects.for_provider(provider)}
    supplier = Organisation.objects.suppliers().get(provider=provider, reference=spec["supplier"])
    ret = actions.find_return(supplier, year.start, year.end)
    ret = actions.reopen_return(ret, by=None, note=spec["note"], via=VIA)
    named = _name_subcontractors(spec, contracts)
    _deliver(ret, spec, contracts, named)
    _register(provider, spec)
    for reference, firm, amount, additionality, reason in spec["spend"]:
        record_spend_line(
            ret,
            contract=contracts[reference],
            paid=Organisation.objects.get(provider=provider, name=firm),
            amount=Decimal(amount),
            additionality=additionality,
            reason=reason,
            by=None,
            via=VIA,
        )
    actions.submit_return(ret, by=None, via=VIA)
    actions.verify_return(ret, by=None, via=VIA)
    _emissions(provider, data, contracts)
    username, role, firm = spec["user"]
    user = get_user_model().objects.create_user(username, f"{username}@example.org", password)
    add_membership(
        user, Organisation.objects.get(provider=provider, name=firm), role=role, by=None, via=VIA
    )


def _name_subcontractors(spec: dict, contracts: dict) -> dict:
    named = {}
    for reference, name, under in spec["subcontractors"]:
        above = named[(reference, under)] if under else None
        named[(reference, name)] = name_subcontractor(
            contracts[reference], name=name, under=above, by=None, via=VIA
        )
    return named


def _deliver(ret, spec: dict, contracts: dict, named: dict) -> None:
    """Each subcontractor's part filled in, sent and accepted; the supplier's own figures less
    what its subcontractors delivered."""
    parts, moved = defaultdict(list), defaultdict(int)
    for reference, code, breakdowns, firm, quantity in spec["delivered"]:
        contract, measure = contracts[reference], Measure.objects.get(code=code)
        subcontract = named[(reference, firm)]
        facts = [
            figure(
                ret,
                contract,
                measure,
                quantity=quantity,
                breakdowns=breakdowns,
                delivered_by=subcontract,
            )
        ]
        parts[subcontract].append((contract, measure, facts))
        moved[(contract, measure, tuple(sorted(breakdowns.items())))] += quantity
    own = []
    for (contract, measure, breakdowns), quantity in moved.items():
        key = "|".join(f"{name}={value}" for name, value in breakdowns)
        entry = ret.entries.get(
            contract=contract, measure=measure, breakdown_key=key, delivered_by=None
        )
        own.append(
            figure(
                ret,
                contract,
                measure,
                quantity=entry.quantity - quantity,
                breakdowns=dict(breakdowns),
            )
        )
    actions.save_entries(ret, own, by=None, via=VIA)
    for subcontract, blocks in parts.items():
        part = supply_chain.part_of(ret, subcontract)
        supply_chain.save_part(part, blocks, by=None, via=VIA)
        supply_chain.send_part(part, by=None, via=VIA)
        supply_chain.accept_part(part, by=None, via=VIA)


def _register(provider: Organisation, spec: dict) -> None:
    """Each firm's size, postcode and VCSE status in the register, and the members' local
    areas."""
    for name, size, postcode, vcse in spec["firms"]:
        firm = Organisation.objects.filter(provider=provider, name=name).first()
        firm = firm or register_organisation(
            provider,
            kind="supplier",
            reference=_reference(name),
            name=name,
            sector="construction",
            by=None,
            via=VIA,
        )
        update_organisation(
            firm,
            size=size,
            size_basis=spec["size_basis"],
            size_checked_on=spec["size_checked_on"],
            postcode=postcode,
            is_vcse=vcse,
            by=None,
            via=VIA,
        )
    for reference, districts in spec["local_areas"].items():
        member = Organisation.objects.members().get(provider=provider, reference=reference)
        update_organisation(member, local_districts=districts, by=None, via=VIA)


def _reference(name: str) -> str:
    from socialledger.organisations.actions import reference_from_name

    return reference_from_name(name)


def _emissions(provider: Organisation, data: dict, contracts: dict) -> None:
    for spec in data["emissions"]:
        baseline_year, baseline = spec["baseline"]
        commitment_year, commitment = spec["commitment"]
        record_emissions(
            contracts[spec["contract"]],
            financial_year=provider.parse_year(spec["year"]).start_year,
            scope_1=Decimal(spec["scope_1"]),
            scope_2=Decimal(spec["scope_2"]),
            scope_3={k: Decimal(v) for k, v in spec["scope_3"].items()},
            baseline_year=provider.parse_year(baseline_year).start_year,
            baseline=Decimal(baseline),
            commitment_year=provider.parse_year(commitment_year).start_year,
            commitment=Decimal(commitment),
            by=None,
            via=VIA,
        )
