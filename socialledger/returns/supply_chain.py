"""Subcontractors' parts of a supplier's return: filling one in, sending it, and the supplier's
review of it (accept, or query), each with its audit event.

A subcontractor's figures are entries of the supplier's return like the supplier's own, marked
with the subcontract that delivered them; the part holds where they stand between the two.
"""

from __future__ import annotations

from django.db import transaction

from socialledger.audit.actions import record
from socialledger.contracts.models import Subcontract
from socialledger.returns.actions import SaveSummary, TransitionError, replace_blocks
from socialledger.returns.models import PartStatus, Return, Status, SupplyChainPart


def returns_open_to(subcontract: Subcontract):
    """The supplier's returns a subcontractor can give figures in for its contract: those
    still being filled in or asked about, whose period the contract was live in."""
    contract = subcontract.contract
    returns = Return.objects.for_supplier(contract.supplier).filter(
        status__in=[Status.DRAFT, Status.QUERIED], period_end__gte=contract.starts_on
    )
    if contract.ends_on:
        returns = returns.filter(period_start__lte=contract.ends_on)
    return returns.order_by("-period_start")


def part_of(ret: Return, subcontract: Subcontract) -> SupplyChainPart:
    """The subcontractor's part of the return: as kept, or a new draft (kept once figures are
    first saved in it)."""
    if subcontract.contract.supplier_id != ret.supplier_id:
        raise TransitionError(f"{subcontract.contract.reference} is not in this return.")
    part = SupplyChainPart.objects.filter(submission=ret, subcontract=subcontract).first()
    part = part or SupplyChainPart(submission=ret, subcontract=subcontract)
    part.submission = ret
    return part


def parts_to_review(ret: Return) -> list[SupplyChainPart]:
    """Parts with figures the supplier has not accepted: the return cannot be submitted with
    them, so nothing a subcontractor entered goes out unseen."""
    parts = ret.parts.exclude(status=PartStatus.ACCEPTED).select_related(
        "subcontract__subcontractor"
    )
    return [part for part in parts if part.entries().exists()]


@transaction.atomic
def save_part(part: SupplyChainPart, blocks: list[tuple], *, by, via: str = "") -> SaveSummary:
    """The subcontractor's figures for its contract, block by block (contract, measure,
    facts), all or none; only while the part is with the subcontractor."""
    _refuse_unless_with_subcontractor(part)
    if part.pk is None:
        part.save()
    return replace_blocks(part.submission, blocks, by=by, delivered_by=part.subcontract, via=via)


def send_part(part: SupplyChainPart, *, by, note: str = "", via: str = "") -> SupplyChainPart:
    """The subcontractor sends its figures to the supplier to review."""
    _refuse_unless_with_subcontractor(part)
    if not part.entries().exists():
        raise TransitionError("Enter at least one figure before sending them.")
    return _move(part, PartStatus.SENT, "return.part_sent", by=by, note=note, via=via)


def accept_part(part: SupplyChainPart, *, by, via: str = "") -> SupplyChainPart:
    """The supplier accepts a subcontractor's figures; they go with its return."""
    _refuse_unless_sent(part, "accept")
    return _move(part, PartStatus.ACCEPTED, "return.part_accepted", by=by, via=via)


def query_part(part: SupplyChainPart, *, by, note: str, via: str = "") -> SupplyChainPart:
    """The supplier asks the subcontractor about its figures; the subcontractor may correct them
    and send them again."""
    if part.status not in (PartStatus.SENT, PartStatus.ACCEPTED):
        raise TransitionError("Only figures the subcontractor has sent can be queried.")
    if not note.strip():
        raise TransitionError("Say what you are asking the subcontractor.")
    return _move(part, PartStatus.QUERIED, "return.part_queried", by=by, note=note, via=via)


@transaction.atomic
def _move(
    part: SupplyChainPart, status: str, action: str, *, by, note="", via=""
) -> SupplyChainPart:
    ret = part.submission
    if not ret.is_editable:
        raise TransitionError(
            f"The return is {ret.get_status_display().lower()}; it must be reopened first."
        )
    before = {"status": part.status}
    part.status = status
    if status == PartStatus.QUERIED:
        part.note = note.strip()
    part.save(update_fields=["status", "note", "updated_at"])
    record(
        ret,
        action,
        by=by,
        provider=ret.provider,
        before=before,
        after={
            "status": status,
            "contract": part.subcontract.contract.reference,
            "subcontractor": part.subcontract.subcontractor.reference,
        },
        note=note.strip(),
        via=via,
    )
    return part


def _refuse_unless_with_subcontractor(part: SupplyChainPart) -> None:
    if not part.submission.is_editable:
        raise TransitionError(
            f"The supplier's return is {part.submission.get_status_display().lower()}; "
            "figures can change only once it is reopened."
        )
    if part.status not in (PartStatus.DRAFT, PartStatus.QUERIED):
        raise TransitionError(
            f"These figures are {part.get_status_display().lower()}; they can change again "
            "only if the supplier queries them."
        )


def _refuse_unless_sent(part: SupplyChainPart, verb: str) -> None:
    if part.status != PartStatus.SENT:
        raise TransitionError(f"Only figures the subcontractor has sent can be {verb}ed.")
