"""Social value down the supply chain: a supplier names its subcontractors on a contract, they
enter what they delivered, and it reaches the supplier's return as a part the supplier reviews.

Personas: Cara contributes for Calder Retrofit Services (CRS), which holds DEC-001; Bea for
Brookside Works (BWC), which holds DEC-002. Mersey Groundworks (Companies House 01234567) works
for both; Sam enters its figures. Olivia is the provider's officer.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core import mail

from socialledger.accounts.actions import accept_invitation
from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.audit.models import AuditEvent
from socialledger.contracts.actions import (
    SupplyChainError,
    invite_subcontractor_staff,
    name_subcontractor,
)
from socialledger.organisations.models import Organisation
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.consistency import ledger_inconsistencies
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render
from socialledger.returns import actions, supply_chain
from socialledger.returns.figures import figure
from socialledger.returns.models import Entry, PartStatus
from socialledger.returns.tests.factories import DEFAULT_YEAR, fact, measure

YEAR = DEFAULT_YEAR
APPRENTICES = "apprenticeships-created"


@pytest.fixture
def mersey_on_one(contract, cara_contributor):
    return name_subcontractor(
        contract, name="Mersey Groundworks Ltd", companies_house_number="01234567", by=None
    )


@pytest.fixture
def mersey_on_two(contract_two, mersey_on_one):
    # Brookside names it with a different spelling; the Companies House number finds the firm.
    return name_subcontractor(
        contract_two, name="Mersey Groundworks", companies_house_number="01234567", by=None
    )


@pytest.fixture
def sam(mersey_on_one):
    return make_user("sam", mersey_on_one.subcontractor, Role.SUPPLIER_CONTRIBUTOR)


@pytest.fixture
def cara_return(supplier, contract):
    return actions.open_year_return(supplier, YEAR, by=None)


@pytest.fixture
def bea_return(bwc, contract_two):
    return actions.open_year_return(bwc, YEAR, by=None)


def part_facts(part, code, quantity):
    ret, contract = part.submission, part.subcontract.contract
    return [figure(ret, contract, measure(code), quantity=quantity, delivered_by=part.subcontract)]


def enter(part, code, quantity, *, by=None):
    """The subcontractor saves one figure in its part and sends it."""
    supply_chain.save_part(
        part, [(part.subcontract.contract, measure(code), part_facts(part, code, quantity))], by=by
    )
    return supply_chain.send_part(part, by=by)


# --- Naming subcontractors --------------------------------------------------------------------


def test_a_named_subcontractor_is_one_firm_in_the_register_however_many_suppliers_name_it(
    mersey_on_one, mersey_on_two
):
    firm = mersey_on_one.subcontractor
    assert mersey_on_two.subcontractor == firm
    assert firm.kind == Organisation.Kind.SUPPLIER
    assert firm.companies_house_number == "01234567"
    assert (mersey_on_one.tier, mersey_on_one.works_for.reference) == (2, "CRS")
    named = AuditEvent.objects.filter(action="contract.subcontractor_named").order_by("pk")
    assert [e.after["works_for"] for e in named] == ["CRS", "BWC"]


def test_a_firm_working_for_a_subcontractor_is_tier_three(contract, mersey_on_one):
    below = name_subcontractor(contract, name="Wirral Scaffolding", under=mersey_on_one, by=None)
    assert (below.tier, below.works_for) == (3, mersey_on_one.subcontractor)


def test_the_supplier_cannot_be_its_own_subcontractor_nor_a_firm_named_twice(
    contract, supplier, mersey_on_one
):
    with pytest.raises(SupplyChainError, match="holds this contract"):
        name_subcontractor(contract, name=supplier.name, by=None)
    with pytest.raises(SupplyChainError, match="already named"):
        name_subcontractor(contract, name="Mersey", companies_house_number="01234567", by=None)


def test_cara_names_a_subcontractor_and_invites_its_people_from_the_contract_page(
    client, cara_contributor, contract, django_capture_on_commit_callbacks
):
    client.force_login(cara_contributor)
    client.post(
        f"/contracts/{contract.pk}/subcontractors/new/",
        {"name": "Mersey Groundworks Ltd", "companies_house_number": "01234567"},
    )
    named = contract.subcontracts.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/subcontractors/{named.pk}/invite/", {"email": "sam@mersey.example"})
    assert mail.outbox[-1].to == ["sam@mersey.example"]
    page = client.get(f"/contracts/{contract.pk}/").content.decode()
    assert "Mersey Groundworks Ltd" in page
    assert "01234567" in page


def test_a_supplier_cannot_invite_itself_into_a_firm_that_holds_contracts_of_its_own(
    contract, bwc, contract_two
):
    brookside = name_subcontractor(contract, name="Brookside Works", by=None)
    assert brookside.subcontractor == bwc
    with pytest.raises(SupplyChainError, match="ask the provider"):
        invite_subcontractor_staff(brookside, email="x@example.org", by=None, link_for=str)


def test_sam_accepts_the_invitation_and_acts_for_the_subcontractor(mersey_on_one):
    tokens = []
    invite_subcontractor_staff(
        mersey_on_one, email="sam@mersey.example", by=None, link_for=tokens.append
    )
    membership = accept_invitation(tokens[0], username="sam", password="a long pass phrase 42")
    assert (membership.organisation, membership.role) == (
        mersey_on_one.subcontractor,
        Role.SUPPLIER_CONTRIBUTOR,
    )


# --- Entering, reviewing, submitting --------------------------------------------------------


def test_sams_figures_arrive_in_caras_return_as_a_part_she_reviews(cara_return, mersey_on_one, sam):
    part = enter(supply_chain.part_of(cara_return, mersey_on_one), APPRENTICES, 2, by=sam)
    entry = cara_return.entries.get()
    assert (entry.delivered_by, entry.tier, entry.quantity) == (mersey_on_one, 2, D(2))
    assert part.status == PartStatus.SENT
    with pytest.raises(actions.TransitionError, match="still to review: Mersey Groundworks"):
        actions.submit_return(cara_return, by=None)
    supply_chain.accept_part(part, by=None)
    assert actions.submit_return(cara_return, by=None).status == "submitted"


def test_a_queried_part_goes_back_to_the_subcontractor_to_correct(cara_return, mersey_on_one):
    part = enter(supply_chain.part_of(cara_return, mersey_on_one), APPRENTICES, 20)
    with pytest.raises(actions.TransitionError, match="Say what you are asking"):
        supply_chain.query_part(part, note=" ", by=None)
    supply_chain.query_part(part, note="20 apprentices on one site? Check it.", by=None)
    with pytest.raises(actions.TransitionError, match="still to review"):
        actions.submit_return(cara_return, by=None)
    enter(part, APPRENTICES, 2)
    assert cara_return.entries.get().quantity == D(2)
    queried = AuditEvent.objects.about(cara_return).get(action="return.part_queried")
    assert queried.note == "20 apprentices on one site? Check it."


def test_sent_figures_cannot_change_until_the_supplier_queries_them(cara_return, mersey_on_one):
    part = enter(supply_chain.part_of(cara_return, mersey_on_one), APPRENTICES, 2)
    with pytest.raises(actions.TransitionError, match="only if the supplier queries them"):
        enter(part, APPRENTICES, 3)


def test_the_suppliers_own_figures_and_the_subcontractors_never_replace_each_other(
    cara_return, contract, mersey_on_one
):
    """Both may report the same measure on the same contract: they are two facts."""
    enter(supply_chain.part_of(cara_return, mersey_on_one), APPRENTICES, 2)
    own = [fact(contract, APPRENTICES, 5, YEAR)]
    actions.replace_entries(
        cara_return,
        own,
        contracts=[contract],
        measures=[measure(APPRENTICES)],
        by=None,
    )
    by_whom = sorted((e.tier, e.quantity) for e in cara_return.entries.all())
    assert by_whom == [(1, D(5)), (2, D(2))]


def test_a_figure_cannot_be_delivered_through_another_contracts_subcontract(
    cara_return, contract, mersey_on_two
):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        figure(
            cara_return,
            contract,
            measure(APPRENTICES),
            quantity=1,
            delivered_by=mersey_on_two,
        )
    assert "not named in the supply chain of DEC-001" in str(refused.value)


# --- Who sees what ----------------------------------------------------------------------------


def test_sam_sees_only_what_mersey_entered(client, cara_return, contract, mersey_on_one, sam):
    actions.save_entries(cara_return, [fact(contract, "jobs-created", 7, YEAR)], by=None)
    part = supply_chain.part_of(cara_return, mersey_on_one)
    enter(part, APPRENTICES, 2)
    client.force_login(sam)
    assert client.get(f"/returns/{cara_return.pk}/").status_code == 404
    assert client.get(f"/contracts/{contract.pk}/").status_code == 404
    page = client.get(f"/supply-chain/{mersey_on_one.pk}/returns/{cara_return.pk}/")
    assert page.status_code == 200
    shown = [(e.measure.code, e.quantity) for e in page.context_data["part"].entries()]
    assert shown == [(APPRENTICES, D(2))]
    from socialledger.accounts.access import visible_entries

    seen = visible_entries(sam.memberships.get())
    assert [(e.measure.code, e.quantity) for e in seen] == [(APPRENTICES, D(2))]


def test_a_rival_firm_cannot_open_someone_elses_part(client, cara_return, mersey_on_one, provider):
    rival = make_user("rhys", make_supplier(provider, "RIV"), Role.SUPPLIER_CONTRIBUTOR)
    client.force_login(rival)
    url = f"/supply-chain/{mersey_on_one.pk}/returns/{cara_return.pk}/"
    assert client.get(url).status_code == 404


def test_sam_enters_a_figure_on_the_web_and_cara_sees_it_in_her_return(
    client, cara_return, mersey_on_one, sam, cara_contributor, contract
):
    client.force_login(sam)
    home = client.get("/supply-chain/").content.decode()
    assert "DEC-001" in home
    assert "Calder Retrofit Services" in home
    url = f"/supply-chain/{mersey_on_one.pk}/returns/{cara_return.pk}/"
    total = f"c{contract.pk}-m{measure(APPRENTICES).pk}-total"
    wrong = client.post(url, {total: "two"})
    assert "is not a number" in wrong.content.decode()
    assert not Entry.objects.exists()
    client.post(url, {total: "2"})
    client.post(f"{url}send/")
    client.force_login(cara_contributor)
    page = client.get(f"/returns/{cara_return.pk}/").content.decode()
    assert "From your supply chain" in page
    assert "Mersey Groundworks Ltd" in page
    part = cara_return.parts.get()
    client.post(f"/supply-chain/parts/{part.pk}/accept/")
    part.refresh_from_db()
    assert part.status == PartStatus.ACCEPTED


# --- Reports ----------------------------------------------------------------------------------


def test_a_subcontractor_working_for_two_suppliers_is_counted_once_on_each_contract(
    provider, cara_return, bea_return, contract, contract_two, mersey_on_one, mersey_on_two
):
    actions.save_entries(cara_return, [fact(contract, APPRENTICES, 5, YEAR)], by=None)
    for ret, named, quantity in ((cara_return, mersey_on_one, 2), (bea_return, mersey_on_two, 3)):
        part = enter(supply_chain.part_of(ret, named), APPRENTICES, quantity)
        supply_chain.accept_part(part, by=None)
        actions.submit_return(ret, by=None)
    report = annual_report(Scope(provider), YEAR, basis="reported")
    assert report.measure(APPRENTICES).current.reported.value == D(10)
    line = report.supply_chain.lines[0]
    assert (line.total, line.through_supply_chain, line.by_suppliers) == (D(10), D(5), D(5))
    assert [(f.organisation, f.tier, f.quantity) for f in line.by] == [
        ("Mersey Groundworks Ltd", 2, D(5))
    ]
    assert line.share == D("50.0")
    on_one = annual_report(Scope(provider, "contract", contract), YEAR, basis="reported")
    assert on_one.supply_chain.lines[0].through_supply_chain == D(2)
    assert ledger_inconsistencies() == []


def test_every_format_says_how_much_the_supply_chain_delivered(
    provider, cara_return, contract, mersey_on_one
):
    actions.save_entries(cara_return, [fact(contract, APPRENTICES, 6, YEAR)], by=None)
    part = enter(supply_chain.part_of(cara_return, mersey_on_one), APPRENTICES, 2)
    supply_chain.accept_part(part, by=None)
    actions.submit_return(cara_return, by=None)
    report = annual_report(Scope(provider), YEAR, basis="reported")
    sentence = "2 of 8 people (25.0%) delivered through the supply chain"
    assert sentence in render(report, "text")
    assert sentence in render(report, "markdown")
    assert '"through_supply_chain": "2"' in render(report, "json")
    assert "supply-chain,apprenticeships-created" in render(report, "csv")
    assert "tier 2,Mersey Groundworks Ltd,2" in render(report, "csv")


def test_a_report_with_no_supply_chain_figures_has_no_supply_chain_section(
    provider, cara_return, contract
):
    actions.save_entries(cara_return, [fact(contract, APPRENTICES, 6, YEAR)], by=None)
    actions.submit_return(cara_return, by=None)
    report = annual_report(Scope(provider), YEAR, basis="reported")
    assert report.supply_chain.lines == ()
    assert "supply chain" not in render(report, "text")
