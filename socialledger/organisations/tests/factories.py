"""make_* helpers for organisations: small, with defaults, written through the real actions."""

from __future__ import annotations

from socialledger.organisations.actions import create_provider, register_organisation
from socialledger.organisations.models import Organisation


def make_provider(
    reference: str = "NWPP", name: str = "Northway Procurement", **details
) -> Organisation:
    return create_provider(reference=reference, name=name, by=None, **details)


def make_member(
    provider: Organisation, reference: str = "LFH", name: str = "", **details
) -> Organisation:
    return register_organisation(
        provider,
        kind="member",
        reference=reference,
        name=name or f"Member {reference}",
        by=None,
        **details,
    )


def make_supplier(
    provider: Organisation, reference: str = "CRS", name: str = "", **details
) -> Organisation:
    return register_organisation(
        provider,
        kind="supplier",
        reference=reference,
        name=name or f"Supplier {reference}",
        by=None,
        **details,
    )
