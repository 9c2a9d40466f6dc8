"""Edits in the Django admin that change how figures are counted (a measure made a stock) leave
the report summaries true to the entries. (Contracts are read-only there: docs/decisions/0014.)"""

from decimal import Decimal

from socialledger.lib.periods import FinancialYear
from socialledger.measures.tests.factories import make_stock_measure
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.summaries import differences
from socialledger.returns.actions import Fact, open_return, save_entries, submit_return

YEAR = FinancialYear(2023)


def _post_change(client, url: str, **changes):
    """Post the admin's change form as it stands (inline lists left empty), with changes."""
    context = client.get(url).context
    form = context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
    data.update(changes)
    return client.post(url, data)


def test_a_measure_made_a_stock_is_counted_as_one_in_every_summary(
    admin_client, provider, supplier, contract
):
    headcount = make_stock_measure(provider, aggregation="sum")
    ret = open_return(supplier, period_start=YEAR.start, period_end=YEAR.end, by=None)
    quarters = [(YEAR.start, YEAR.start.replace(month=6, day=30), 40)]
    quarters.append((YEAR.start.replace(month=7), YEAR.start.replace(month=9, day=30), 45))
    facts = [Fact(contract, headcount, start, end, Decimal(n)) for start, end, n in quarters]
    save_entries(ret, facts, by=None)
    submit_return(ret, by=None)
    response = _post_change(
        admin_client, f"/admin/measures/measure/{headcount.pk}/change/", aggregation="stock"
    )
    assert response.status_code == 302
    assert differences(provider) == []
    line = annual_report(Scope(provider), YEAR, basis="reported").measure("headcount")
    assert line.headline.value == 45
