"""make_* helpers for frameworks, lots and contracts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from socialledger.contracts.actions import (
    appoint_supplier,
    create_contract,
    create_framework,
    create_lot,
)
from socialledger.contracts.models import Contract, Framework, Lot
from socialledger.organisations.models import Organisation
from socialledger.organisations.tests.factories import make_member, make_supplier


def make_framework(
    provider: Organisation, reference: str = "DEC", lots: tuple[str, ...] = ("1",)
) -> Framework:
    framework = create_framework(
        provider,
        reference=reference,
        name=f"Framework {reference}",
        starts_on=date(2020, 4, 1),
        ends_on=date(2028, 3, 31),
        by=None,
    )
    for lot in lots:
        create_lot(framework, reference=lot, name=f"Lot {lot}", by=None)
    return framework


def make_contract(
    lot_or_framework: Lot | Framework,
    reference: str = "DEC-001",
    *,
    member: Organisation | None = None,
    supplier: Organisation | None = None,
    value: str = "1000000",
    starts_on: date = date(2021, 4, 1),
    ends_on: date | None = None,
) -> Contract:
    lot = lot_or_framework if isinstance(lot_or_framework, Lot) else lot_or_framework.lots.first()
    provider = lot.framework.provider
    member = member or _existing_or_new(provider, "member", make_member)
    supplier = supplier or _existing_or_new(provider, "supplier", make_supplier)
    appoint_supplier(lot, supplier, by=None)
    return create_contract(
        lot,
        reference=reference,
        title=f"Contract {reference}",
        member=member,
        supplier=supplier,
        value=Decimal(value),
        starts_on=starts_on,
        ends_on=ends_on,
        by=None,
    )


def _existing_or_new(provider: Organisation, kind: str, make) -> Organisation:
    found = Organisation.objects.in_provider(provider).filter(kind=kind).first()
    return found or make(provider)
