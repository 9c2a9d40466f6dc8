"""The one figure intake: what makes a figure one fact, and every rule a figure is checked by.

A figure reaches the ledger through four doors (the web return, the API, the return workbook and
the CSV import). Each door reads its own cells and maps its own coordinates (a form field,
`entries.N.field`, a sheet, row and column) onto the parts named here; the rules themselves are
written only here, so a figure is accepted, stored or refused the same way at every door.

A refusal is a ValidationError keyed by part: "quantity", "breakdowns.<dimension code>",
"description", "person_id", "person_key", "period" and "delivered_by".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError

from socialledger.lib.numbers import parse_decimal
from socialledger.lib.pseudonym import person_key as keyed_hash
from socialledger.measures.models import Measure, breakdown_key

# What makes an entry one fact within its return: saving the same key again replaces, never
# adds. The entry's unique constraint is these fields after the return.
KEY_FIELDS = (
    "contract",
    "measure",
    "period_start",
    "period_end",
    "breakdown_key",
    "description",
    "person_key",
    "delivered_by",
)

DESCRIPTION_LENGTH = 300
# A quantity above this is a slip (a pasted reference number), and beyond what an entry holds.
LARGEST_QUANTITY = Decimal(10**12)
_PERSON_KEY = re.compile(r"[0-9a-f]{64}")
_WORDS = re.compile(r"[^\W\d_]", re.UNICODE)


def natural_key(*parts) -> tuple:
    """The natural key as one tuple, its parts in KEY_FIELDS order, whoever holds them (an
    entry, a fact, a row of an import not yet written)."""
    if len(parts) != len(KEY_FIELDS):
        raise TypeError(f"a natural key has {len(KEY_FIELDS)} parts: {', '.join(KEY_FIELDS)}")
    return parts


@dataclass(frozen=True)
class Fact:
    """One figure to be saved as an entry: already checked against its measure."""

    contract: object
    measure: Measure
    period_start: date
    period_end: date
    quantity: Decimal
    breakdowns: dict[str, str] = field(default_factory=dict)
    description: str = ""
    person_key: str = ""
    # The subcontract it was delivered through; None when the supplier itself delivered it.
    delivered_by: object = None

    @property
    def natural_key(self) -> tuple:
        return key_of(self, self.contract.pk)

    @property
    def delivered_by_id(self) -> int | None:
        return self.delivered_by.pk if self.delivered_by is not None else None


def key_of(unwritten, contract) -> tuple:
    """The natural key of a figure not yet written (a fact, an import's row), with its contract
    as the door knows it (an id, or the key of a contract an import is yet to create)."""
    return natural_key(
        contract,
        unwritten.measure.pk,
        unwritten.period_start,
        unwritten.period_end,
        breakdown_key(unwritten.breakdowns),
        unwritten.description,
        unwritten.person_key,
        getattr(unwritten, "delivered_by_id", None),  # an import's rows are the supplier's own
    )


def check_quantity(measure: Measure | None, given) -> Decimal:
    """A quantity for the measure's unit, from a number or the text a person typed: thousands
    separators are read, "£" only for money; never negative, whole where people or events are
    counted, to two places for money and four otherwise. Without a measure (one the door could
    not find), only whether it is a number at all."""
    if isinstance(given, Decimal | int):
        value = Decimal(given)
    elif isinstance(given, float):  # a spreadsheet's or JSON number, at the edge of exactness
        value = Decimal(repr(given))
    else:
        value = _read_number(measure, str(given))
    name = measure.name if measure else "The quantity"
    if not value.is_finite():
        raise ValidationError(f"{name}: give a number, such as 12 or 1,250.50")
    if value > LARGEST_QUANTITY:
        raise ValidationError(f"{name}: {value:,} is more than any one figure can be; check it")
    if measure is None:
        return value
    try:
        return measure.clean_quantity(value)
    except ValidationError as error:
        raise ValidationError(f"{name}: the quantity {error.messages[0]}") from error


def _read_number(measure: Measure | None, text: str) -> Decimal:
    text = text.strip()
    name = measure.name if measure else "The quantity"
    unit = measure.get_unit_display() if measure else "figures"
    if not text:
        raise ValidationError(f"{name}: give a quantity in {unit}")
    if "£" in text and measure is not None and not measure.is_money:
        raise ValidationError(
            f"{name} counts {unit}, not money; give the number of {unit} without £"
        )
    try:
        return parse_decimal(text)
    except ValueError:
        pass
    if _WORDS.search(text.replace("£", "")):
        hint = "write it in digits, such as 12 or 1,250.50"
    else:
        hint = "write it as digits with at most one decimal point, such as 12 or 1,250.50"
    raise ValidationError(f'{name}: "{text}" is not a number; {hint}')


def check_breakdowns(measure: Measure, given: dict | None) -> dict[str, str]:
    """Breakdown values checked against the measure's dimensions, as stored; a refusal is keyed
    "breakdowns.<dimension code>"."""
    try:
        return measure.clean_breakdowns(given or {})
    except ValidationError as error:
        raise ValidationError(
            {f"breakdowns.{code}": found[0] for code, found in error.message_dict.items()}
        ) from error


def tidy_description(text: str) -> str:
    """A description as stored: inner runs of spaces, tabs and line breaks become one space and
    the ends are trimmed, so the same words are the same fact wherever they were typed."""
    return " ".join(str(text or "").split())


def check_description(measure: Measure, given: str) -> str:
    """The description tidied; required where the measure needs one (what was given, to whom);
    never longer than DESCRIPTION_LENGTH characters (refused, never cut)."""
    text = tidy_description(given)
    if measure.needs_description and not text:
        raise ValidationError(f"{measure.name} needs a description: what was given, and to whom")
    if len(text) > DESCRIPTION_LENGTH:
        raise ValidationError(
            f"at most {DESCRIPTION_LENGTH} characters; this description has {len(text)}"
        )
    return text


def check_person(*, provider_id: int, person_id: str = "", person_key: str = "") -> str:
    """A person's key: a supplier's own id for the person, kept only as a keyed hash, or a key
    this product made (64 hexadecimal characters); never both, never a name."""
    person_id, person_key = str(person_id or "").strip(), str(person_key or "").strip()
    if person_id and person_key:
        raise ValidationError({"person_key": "give a person's id or a person key, not both"})
    if person_id:
        return keyed_hash(person_id, provider_id=provider_id, secret=settings.PERSON_KEY_SECRET)
    if person_key and not _PERSON_KEY.fullmatch(person_key):
        raise ValidationError(
            {
                "person_key": "a key made by Social Ledger (64 hexadecimal characters), never a "
                "name; give a supplier's own id for a person as the person's id"
            }
        )
    return person_key


def check_period(ret, period_start: date | None, period_end: date | None) -> tuple[date, date]:
    """The figure's period: the return's, or a shorter one given whole and lying within it."""
    if period_start is None and period_end is None:
        return ret.period_start, ret.period_end
    if period_start is None or period_end is None:
        raise ValidationError({"period": "give both the period's start and end, or neither"})
    if not ret.period_start <= period_start <= period_end <= ret.period_end:
        raise ValidationError({"period": f"the period must lie within {ret.period_label}"})
    return period_start, period_end


def figure(
    ret,
    contract,
    measure: Measure,
    *,
    quantity,
    breakdowns: dict | None = None,
    description: str = "",
    person_id: str = "",
    person_key: str = "",
    period_start: date | None = None,
    period_end: date | None = None,
    delivered_by=None,
) -> Fact:
    """A figure for a contract in a return, checked: every part, and its period within the
    return's (the return's own period unless a shorter one is given). A ValidationError names
    every part at fault. `delivered_by` is the contract's subcontract that delivered it (the
    supplier itself when None): it must be one of this contract's."""
    steps = {
        "quantity": lambda: check_quantity(measure, quantity),
        "breakdowns": lambda: check_breakdowns(measure, breakdowns),
        "description": lambda: check_description(measure, description),
        "person_key": lambda: check_person(
            provider_id=ret.provider.pk, person_id=person_id, person_key=person_key
        ),
        "period": lambda: check_period(ret, period_start, period_end),
        "delivered_by": lambda: check_delivered_by(contract, delivered_by),
    }
    checked, errors = {}, {}
    for part, step in steps.items():
        try:
            checked[part] = step()
        except ValidationError as error:
            errors |= error.message_dict if hasattr(error, "error_dict") else {part: error.messages}
    if errors:
        raise ValidationError(errors)
    start, end = checked.pop("period")
    return Fact(contract=contract, measure=measure, period_start=start, period_end=end, **checked)


def check_delivered_by(contract, subcontract):
    """Who delivered the figure: the supplier (None), or a subcontractor named on this very
    contract, so that what a subcontractor delivered is counted on the contract it was
    delivered on and nowhere else."""
    if subcontract is not None and subcontract.contract_id != contract.pk:
        raise ValidationError(
            f"{subcontract.subcontractor} is not named in the supply chain of {contract.reference}"
        )
    return subcontract


def first_messages(error: ValidationError) -> dict[str, str]:
    """A refusal as one message per part, for a door to place against its own coordinates."""
    return {part: messages[0] for part, messages in error.message_dict.items()}
