"""Who counts as local, small or medium-sized, or a VCSE: read from the register, never from what
a supplier says, so two suppliers paying the same firm cannot class it differently.

Each class has one rule, written here once; reports quote the rule they used.
"""

from __future__ import annotations

from dataclasses import dataclass

from socialledger.organisations.models import Organisation

LOCAL = "local"
SME = "sme"
VCSE = "vcse"

# Our own words for each rule, as reports print them.
RULES = {
    LOCAL: "Local: the firm's postcode district, as the register records it, is one of the "
    "postcode districts the contract's member counts as its local area.",
    SME: "Small or medium-sized: the register records the firm as micro, small or medium, by the "
    "definition and on the date it records beside the size.",
    VCSE: "Voluntary, community or social enterprise: the register records the firm as one.",
}
NAMES = {
    LOCAL: "Spend with local firms",
    SME: "Spend with small and medium-sized firms",
    VCSE: "Spend with voluntary, community and social enterprises",
}
CLASSES = (LOCAL, SME, VCSE)


@dataclass(frozen=True)
class Classification:
    """What the register says of a firm paid on a member's contract. `known` is False where the
    register lacks what the rule needs (a postcode, a member's local area, a size)."""

    local: bool
    local_known: bool
    sme: bool
    sme_known: bool
    vcse: bool

    def is_(self, kind: str) -> bool:
        return {LOCAL: self.local, SME: self.sme, VCSE: self.vcse}[kind]

    def knows(self, kind: str) -> bool:
        return {LOCAL: self.local_known, SME: self.sme_known, VCSE: True}[kind]


def classify(paid: Organisation, member: Organisation) -> Classification:
    """Class a firm paid on a contract of `member`, from the register."""
    districts = member.local_district_set()
    local_known = bool(paid.postcode_district and districts)
    return Classification(
        local=local_known and paid.postcode_district in districts,
        local_known=local_known,
        sme=paid.is_small_or_medium,
        sme_known=bool(paid.size),
        vcse=paid.is_vcse,
    )
