"""docs/supply-chain.md's worked example is what the demo's 2023-24 report says."""

import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from socialledger.contracts.models import Contract
from socialledger.demo.builder import build_demo
from socialledger.lib.periods import FinancialYear
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render

DOC = Path(__file__).resolve().parent.parent / "docs" / "supply-chain.md"


def quoted_blocks(text: str) -> list[str]:
    """The doc's indented report excerpts, each with its whitespace collapsed."""
    blocks = re.findall(r"(?:^    \S.*\n(?:^     *\S.*\n)*)", text, flags=re.M)
    return [" ".join(block.split()) for block in blocks]


@pytest.fixture
def demo(db):
    return build_demo()


def test_every_excerpt_in_the_doc_is_in_the_demo_report(demo):
    report = " ".join(render(annual_report(Scope(demo), FinancialYear(2023)), "text").split())
    blocks = quoted_blocks(DOC.read_text())
    assert len(blocks) == 3
    for block in blocks:
        assert block in report


def test_the_docs_per_contract_shares_are_the_demos(demo):
    shares = {}
    for reference in ("DEC-001", "DEC-002"):
        scope = Scope(demo, "contract", Contract.objects.get(reference=reference))
        local = annual_report(scope, FinancialYear(2023)).spend.lines[0]
        shares[reference] = (local.additional.numerator, local.additional.percent)
    assert shares == {"DEC-001": (D(543000), D("27.8")), "DEC-002": (D(210000), D("18.7"))}
