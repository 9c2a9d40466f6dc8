"""The officer reviewing a return sees, beside each figure, last year's figure on the same
contract, the commitment and its delivery, and what changed since the previous submission."""

from __future__ import annotations

from decimal import Decimal as D

from django.test import Client

from socialledger.contracts.actions import set_commitment
from socialledger.lib.periods import FinancialYear
from socialledger.returns.actions import (
    open_year_return,
    query_return,
    save_entries,
    submit_return,
)
from socialledger.returns.review import review_lines
from socialledger.returns.tests.factories import fact, make_return, measure

YEAR = FinancialYear(2024)


def test_each_figure_is_shown_with_last_year_the_commitment_and_the_change(
    provider, supplier, contract, olivia_officer
):
    make_return(supplier, [(contract, "jobs-created", 8)], year=YEAR.previous)
    set_commitment(
        provider,
        measure=measure("jobs-created"),
        financial_year=YEAR.start_year,
        quantity=D(20),
        contract=contract,
        by=None,
    )
    ret = open_year_return(supplier, YEAR, by=None)
    save_entries(ret, [fact(contract, "jobs-created", 10, YEAR)], by=None)
    ret = submit_return(ret, by=None)
    ret = query_return(ret, by=olivia_officer, note="Ten?")
    save_entries(ret, [fact(contract, "jobs-created", 12, YEAR)], by=None)
    ret = submit_return(ret, by=None, note="Twelve, two were missed")
    (line,) = review_lines(ret)
    assert (line.total, line.last_year, line.committed) == (D(12), D(8), D(20))
    assert line.delivered_percent == D(60)
    assert line.change == "was 10"
    client = Client()
    client.force_login(olivia_officer)
    page = client.get(f"/returns/{ret.pk}/").content.decode()
    assert "was 10" in page
    assert "60%" in page
