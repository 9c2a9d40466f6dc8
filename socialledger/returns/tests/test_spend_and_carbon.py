"""Where the money went and the contract's carbon: spend lines name the firm paid, the register
says whether it is local, small or medium-sized, or a VCSE; shares add pounds before dividing;
business as usual is shown apart; carbon is counted in tonnes and never in £.

Personas: Cara files for Calder Retrofit Services (CRS), which holds DEC-001 for Liverpool
Family Homes (LFH, local area L1 L3 L8); Bea for Brookside Works (BWC), which holds DEC-002 for
the same member. The firms they pay are in the register: Mersey Groundworks (small, L3 9PP),
Pennine Plant Hire (large, M1 1AA), Toxteth Community Kitchen (a VCSE, L8 1XY) and Anon Supplies
(nothing recorded yet).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from socialledger.audit.models import AuditEvent
from socialledger.contracts.actions import record_emissions
from socialledger.organisations.actions import update_organisation
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render
from socialledger.returns import actions
from socialledger.returns.actions import TransitionError
from socialledger.returns.models import Additionality
from socialledger.returns.spend_lines import record_spend_line
from socialledger.returns.tests.factories import DEFAULT_YEAR, fact
from socialledger.valuation.tests.factories import make_choice, make_value_set, value

YEAR = DEFAULT_YEAR
BAU = Additionality.BUSINESS_AS_USUAL
CHECKED = {"size_basis": "Companies Act 2006 thresholds", "size_checked_on": date(2023, 5, 1)}


@pytest.fixture
def firms(provider, member):
    update_organisation(member, local_districts="L1 L3 L8", by=None)
    return {
        "mersey": make_supplier(
            provider, "MGL", "Mersey Groundworks", size="small", postcode="L3 9PP", **CHECKED
        ),
        "pennine": make_supplier(
            provider, "PPH", "Pennine Plant Hire", size="large", postcode="M1 1AA", **CHECKED
        ),
        "kitchen": make_supplier(
            provider, "TCK", "Toxteth Community Kitchen", is_vcse=True, postcode="L8 1XY"
        ),
        "anon": make_supplier(provider, "ANON", "Anon Supplies"),
    }


def filed(ret, contract, lines):
    """Record (firm, amount[, additionality]) spend lines in a return and submit it."""
    for firm, amount, *how in lines:
        record_spend_line(
            ret,
            contract=contract,
            paid=firm,
            amount=D(amount),
            additionality=how[0] if how else Additionality.ADDITIONAL,
            reason="Sourced locally for this contract" if not how else "Our usual supplier",
            by=None,
        )
    actions.save_entries(ret, [fact(contract, "jobs-created", 2, YEAR)], by=None)
    return actions.submit_return(ret, by=None)


def report(provider, **options):
    return annual_report(Scope(provider), YEAR, basis="reported", **options)


def line(section, kind):
    return next(one for one in section.lines if one.kind == kind)


def test_a_share_across_contracts_adds_pounds_before_dividing(
    provider, supplier, contract, bwc, contract_two, firms
):
    # DEC-001: £9,000 of £10,000 with SMEs (90%). DEC-002: £9,000 of £90,000 (10%).
    filed(
        actions.open_year_return(supplier, YEAR, by=None),
        contract,
        [(firms["mersey"], "9000"), (firms["pennine"], "1000")],
    )
    filed(
        actions.open_year_return(bwc, YEAR, by=None),
        contract_two,
        [(firms["mersey"], "9000"), (firms["pennine"], "81000")],
    )
    sme = line(report(provider).spend, "sme")
    assert (sme.additional.numerator, sme.additional.denominator) == (D(18000), D(100000))
    assert sme.additional.percent == D("18.0")  # averaging 90% and 10% would say 50%
    on_one = annual_report(Scope(provider, "contract", contract), YEAR, basis="reported")
    assert line(on_one.spend, "sme").additional.percent == D("90.0")


def test_the_register_classes_a_firm_so_two_suppliers_cannot_disagree(
    provider, supplier, contract, bwc, contract_two, firms
):
    filed(actions.open_year_return(supplier, YEAR, by=None), contract, [(firms["mersey"], "100")])
    filed(actions.open_year_return(bwc, YEAR, by=None), contract_two, [(firms["mersey"], "300")])
    local = line(report(provider).spend, "local")
    assert local.additional.numerator == D(400)  # L3 is in LFH's area, for both suppliers
    assert "postcode district" in local.rule
    assert local.rule in render(report(provider), "text")


def test_local_small_and_vcse_are_read_from_the_register_and_unknowns_are_shown(
    provider, supplier, contract, firms
):
    filed(
        actions.open_year_return(supplier, YEAR, by=None),
        contract,
        [
            (firms["mersey"], "400"),  # local, small
            (firms["pennine"], "300"),  # not local, large
            (firms["kitchen"], "200"),  # local, a VCSE, size not recorded
            (firms["anon"], "100"),  # nothing recorded
        ],
    )
    spend = report(provider).spend
    assert spend.total == D(1000)
    assert line(spend, "local").additional.numerator == D(600)
    assert line(spend, "local").unclassified == D(100)
    assert line(spend, "sme").additional.numerator == D(400)
    assert line(spend, "sme").unclassified == D(300)
    assert line(spend, "vcse").additional.numerator == D(200)


def test_changing_the_register_reclasses_every_suppliers_spend(provider, supplier, contract, firms):
    filed(actions.open_year_return(supplier, YEAR, by=None), contract, [(firms["pennine"], "500")])
    assert line(report(provider).spend, "local").additional.numerator == D(0)
    update_organisation(firms["pennine"], postcode="L1 2AB", by=None)
    assert line(report(provider).spend, "local").additional.numerator == D(500)


def test_business_as_usual_is_shown_apart_and_kept_out_of_the_headline(
    provider, supplier, contract, firms
):
    filed(
        actions.open_year_return(supplier, YEAR, by=None),
        contract,
        [(firms["mersey"], "300"), (firms["mersey"], "700", BAU)],
    )
    local = line(report(provider).spend, "local")
    assert (local.additional.numerator, local.additional.percent) == (D(300), D("30.0"))
    assert (local.business_as_usual.numerator, local.business_as_usual.percent) == (
        D(700),
        D("70.0"),
    )
    text = render(report(provider), "text")
    assert "£300 of £1,000 (30.0%) additional; £700 (70.0%) business as usual" in text


def test_every_spend_line_says_why_and_is_in_the_audit_trail(provider, supplier, contract, firms):
    ret = actions.open_year_return(supplier, YEAR, by=None)
    with pytest.raises(TransitionError, match="Say why"):
        record_spend_line(
            ret, contract=contract, paid=firms["mersey"], amount=D(1), reason=" ", by=None
        )
    record_spend_line(
        ret, contract=contract, paid=firms["mersey"], amount=D(1), reason="New local firm", by=None
    )
    assert AuditEvent.objects.filter(action="return.spend_line_added").count() == 1


def test_spend_lines_cannot_change_once_the_return_is_submitted(
    provider, supplier, contract, firms
):
    ret = filed(actions.open_year_return(supplier, YEAR, by=None), contract, [])
    with pytest.raises(TransitionError, match="submitted"):
        record_spend_line(
            ret, contract=contract, paid=firms["mersey"], amount=D(1), reason="Late", by=None
        )


def test_a_firm_of_another_provider_cannot_be_paid_in_a_return(
    supplier, contract, other_provider, firms
):
    stranger = make_supplier(other_provider, "XYZ", "Elsewhere Ltd")
    ret = actions.open_year_return(supplier, YEAR, by=None)
    with pytest.raises(TransitionError, match="not in the register"):
        record_spend_line(ret, contract=contract, paid=stranger, amount=D(1), reason="x", by=None)


# --- Carbon -------------------------------------------------------------------------------------


def emissions(contract, scope_1="80.00", scope_2="20.00"):
    return record_emissions(
        contract,
        financial_year=YEAR.start_year,
        scope_1=D(scope_1),
        scope_2=D(scope_2),
        scope_3={"4": D("15.50"), "7": D("4.50")},
        baseline_year=2021,
        baseline=D("150.00"),
        commitment_year=2030,
        commitment=D("75.00"),
        by=None,
    )


def test_carbon_is_reported_in_tonnes_against_baseline_and_commitment(provider, contract):
    assert emissions(contract).total == D("120.00")
    carbon = report(provider).carbon
    assert (carbon.total, carbon.baseline, carbon.commitment) == (
        D("120.00"),
        D("150.00"),
        D("75.00"),
    )
    text = render(report(provider), "text")
    assert "DEC-001: 120.00 tCO2e (scope 1 80.00, scope 2 20.00, scope 3 20.00)" in text
    assert "never valued in pounds" in text
    assert '"unit": "tCO2e"' in render(report(provider), "json")


def test_carbon_is_kept_out_of_the_pound_totals(provider, supplier, contract, firms):
    chosen = make_value_set(provider, {"jobs-created": value(100)})
    make_choice(provider, chosen)
    filed(actions.open_year_return(supplier, YEAR, by=None), contract, [])
    before = report(provider, price_year=YEAR.start_year).money
    emissions(contract, scope_1="5000.00")
    after = report(provider, price_year=YEAR.start_year)
    assert after.money == before
    assert not [words for words in _money_words(after) if "tCO2e" in words or "arbon" in words]


def test_a_scope_3_category_a_plan_does_not_report_is_refused(contract):
    with pytest.raises(ValueError, match="scope 3"):
        record_emissions(
            contract,
            financial_year=YEAR.start_year,
            scope_1=D(1),
            scope_2=D(1),
            scope_3={"11": D(1)},
            baseline_year=2021,
            baseline=D(1),
            commitment_year=2030,
            commitment=D(1),
            by=None,
        )


def _money_words(report):
    from socialledger.reports.working import money_lines

    return money_lines(report)


# --- On the return's page -----------------------------------------------------------------------


def test_cara_adds_a_spend_line_on_her_return_and_the_register_classes_it(
    client, provider, supplier, contract, firms, cara_contributor
):
    ret = actions.open_year_return(supplier, YEAR, by=None)
    client.force_login(cara_contributor)
    url = f"/returns/{ret.pk}/spend-lines/"
    form = {
        "contract": contract.pk,
        "paid": "Mersey Groundworks",
        "amount": "£12,500.00",
        "additionality": "additional",
        "reason": "Let locally for this contract",
    }
    client.post(url, form)
    page = client.get(f"/returns/{ret.pk}/").content.decode()
    assert "Spend lines" in page
    assert "local, small or medium-sized" in page
    line = ret.spend_lines.get()
    assert (line.paid, line.amount) == (firms["mersey"], D("12500.00"))
    # A firm the register does not know is added to it, unclassed.
    client.post(url, {**form, "paid": "Brand New Firm Ltd", "amount": "10"})
    assert (
        "Not yet recorded: whether it is local or small or medium-sized"
        in client.get(f"/returns/{ret.pk}/").content.decode()
    )
    refused = client.post(url, {**form, "amount": "lots"}, follow=True).content.decode()
    assert "is not an amount in pounds" in refused
    assert ret.spend_lines.count() == 2
    client.post(f"{url}{line.pk}/remove/")
    assert ret.spend_lines.count() == 1


def test_only_the_suppliers_contributor_adds_spend_lines(
    client, supplier, contract, firms, mo_member_viewer, olivia_officer
):
    ret = actions.open_year_return(supplier, YEAR, by=None)
    form = {"contract": contract.pk, "paid": "X", "amount": "1", "additionality": "additional"}
    for person in (mo_member_viewer, olivia_officer):
        client.force_login(person)
        assert client.post(f"/returns/{ret.pk}/spend-lines/", form).status_code == 404
    assert not ret.spend_lines.exists()


def test_olivia_records_a_contracts_carbon_on_its_page(client, contract, olivia_officer):
    client.force_login(olivia_officer)
    url = f"/contracts/{contract.pk}/emissions/new/"
    assert client.get(url).status_code == 200
    form = {
        "year": "2023-24",
        "scope_1": "80",
        "scope_2": "20",
        "scope_3_4": "15.50",
        "baseline_year": "2021-22",
        "baseline": "150",
        "commitment_year": "2029-30",
        "commitment": "75",
    }
    assert client.post(url, form).status_code == 302
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "115.50" in page
    assert "150.00 in 2021-22" in page
    assert client.post(url, {**form, "year": "someday"}).status_code == 200  # shown again
    assert contract.emissions.count() == 1


def test_cara_cannot_record_carbon_but_sees_it(client, contract, cara_contributor):
    emissions(contract)
    client.force_login(cara_contributor)
    assert client.get(f"/contracts/{contract.pk}/emissions/new/").status_code == 404
    assert "120.00" in client.get(f"/contracts/{contract.pk}/").content.decode()
