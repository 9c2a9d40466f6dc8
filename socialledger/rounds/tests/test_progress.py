"""Officers see each supplier's progress in a round: not started, draft, submitted, overdue ..."""

from datetime import date
from decimal import Decimal

from socialledger.contracts.models import Spend
from socialledger.contracts.tests.factories import make_contract
from socialledger.organisations.tests.factories import make_supplier
from socialledger.returns.actions import Fact, save_entries, set_nil_return, submit_return
from socialledger.returns.tests.factories import measure
from socialledger.rounds.actions import open_round
from socialledger.rounds.models import round_progress


def test_progress_says_where_each_return_stands(
    client, provider, framework, supplier, contract, olivia_officer
):
    quiet = make_supplier(provider, "QUI", "Quiet Ltd")
    theirs = make_contract(framework, "DEC-009", supplier=quiet)
    second = make_contract(framework, "DEC-002", supplier=supplier)
    for c in (contract, second, theirs):
        Spend.objects.create(contract=c, period_end=date(2025, 3, 31), amount=Decimal(150_000))
    round_ = open_round(
        provider,
        name="2024-25",
        period_start=date(2024, 4, 1),
        period_end=date(2025, 3, 31),
        opens_on=date(2025, 5, 1),
        closes_on=date(2025, 6, 30),
        by=None,
    )
    ret = round_.returns.get(supplier=supplier)
    save_entries(
        ret,
        [Fact(contract, measure("jobs-created"), ret.period_start, ret.period_end, Decimal(3))],
        by=None,
    )
    during = {
        p.ret.supplier.reference: (p.label, p.done, p.in_scope)
        for p in round_progress(round_, date(2025, 6, 1))
    }
    assert during == {"CRS": ("Draft", 1, 2), "QUI": ("Not started", 0, 1)}
    set_nil_return(ret, second, nil=True, reason="No work this year", by=None)
    submit_return(ret, by=None)
    after = {p.ret.supplier.reference: p.label for p in round_progress(round_, date(2025, 7, 1))}
    assert after == {"CRS": "Submitted", "QUI": "Overdue"}
    client.force_login(olivia_officer)
    page = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert "Overdue" in page
    assert "2 of 2" in page
