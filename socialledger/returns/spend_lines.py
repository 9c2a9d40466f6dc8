"""Spend lines in a return: who was paid on a contract and how much, additional or business as
usual with a reason, each write with its audit event.

A line names the organisation paid; what kind of firm it is comes from the register
(organisations/classification.py), so it is never the supplier's word.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from socialledger.audit.actions import record
from socialledger.contracts.models import Contract, Subcontract
from socialledger.organisations.models import Organisation
from socialledger.returns.actions import TransitionError, _refuse_unless_editable
from socialledger.returns.models import Additionality, Return, SpendLine


@transaction.atomic
def record_spend_line(
    ret: Return,
    *,
    contract: Contract,
    paid: Organisation,
    amount: Decimal,
    reason: str,
    additionality: str = Additionality.ADDITIONAL,
    delivered_by: Subcontract | None = None,
    by,
    via: str = "",
) -> SpendLine:
    """Add a payment on one of the return's contracts to an organisation in the register."""
    _refuse_unless_editable(ret, by=by)
    _refuse_unless_fits(ret, contract, paid, delivered_by)
    amount = Decimal(amount)
    if amount < 0 or amount != round(amount, 2):
        raise TransitionError("Give the amount in pounds and pence, not negative.")
    if not reason.strip():
        raise TransitionError("Say why this spend is additional, or why it is business as usual.")
    line = SpendLine.objects.create(
        submission=ret,
        contract=contract,
        paid=paid,
        amount=amount,
        additionality=Additionality(additionality),
        reason=" ".join(reason.split()),
        delivered_by=delivered_by,
    )
    record(
        ret,
        "return.spend_line_added",
        by=by,
        provider=ret.provider,
        after=_describe(line),
        via=via,
    )
    return line


@transaction.atomic
def remove_spend_line(line: SpendLine, *, by, via: str = "") -> None:
    """Take a spend line out of its return while the return can change."""
    ret = line.submission
    _refuse_unless_editable(ret, by=by)
    before = _describe(line)
    line.delete()
    record(ret, "return.spend_line_removed", by=by, provider=ret.provider, before=before, via=via)


def _refuse_unless_fits(ret, contract, paid, delivered_by) -> None:
    if contract.supplier_id != ret.supplier_id:
        raise TransitionError(f"{contract.reference} is not a contract of {ret.supplier}.")
    if paid.home_provider.pk != ret.provider.pk or paid.is_provider:
        raise TransitionError(f"{paid} is not in the register.")
    if delivered_by is not None and delivered_by.contract_id != contract.pk:
        raise TransitionError(
            f"{delivered_by.subcontractor} is not in the supply chain of {contract.reference}."
        )


def _describe(line: SpendLine) -> dict:
    return {
        "contract": line.contract.reference,
        "paid": line.paid.reference,
        "amount": str(line.amount),
        "additionality": line.additionality,
        "reason": line.reason,
        "delivered_by": line.delivered_by.subcontractor.reference if line.delivered_by else "",
    }
