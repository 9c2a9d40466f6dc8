"""Officers draw weighted, repeatable samples; repeated people and gifts are flagged, and
reports count a person once."""

from collections import Counter
from decimal import Decimal as D

import pytest

from socialledger.audit.models import AuditEvent
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.lib.pseudonym import person_key
from socialledger.reports.queries import Scope, annual_report
from socialledger.returns.actions import Fact, open_year_return, save_entries, submit_return
from socialledger.returns.tests.factories import make_return, measure
from socialledger.verification.actions import draw_sample, record_check, weight_of
from socialledger.verification.models import SampleItem, repeated_donations, repeated_people

YEAR = FinancialYear(2023)


@pytest.fixture
def figures(supplier, contract):
    return make_return(
        supplier, [(contract, "jobs-created", n, {"role": f"Role {n}"}) for n in (1, 2, 3, 50)]
    )


def test_the_same_seed_draws_the_same_sample(provider, figures):
    first = draw_sample(provider, start_year=2023, size=2, by=None, seed=42)
    second = draw_sample(provider, start_year=2023, size=2, by=None, seed=42)
    assert [i.entry_id for i in first.items.all()] == [i.entry_id for i in second.items.all()]
    assert AuditEvent.objects.filter(action="sample.drawn").count() == 2


def test_larger_figures_are_drawn_more_often(provider, figures):
    drawn = Counter(
        draw_sample(provider, start_year=2023, size=1, by=None, seed=seed)
        .items.get()
        .entry.quantity
        for seed in range(200)
    )
    assert drawn[D(50)] > drawn[D(1)] * 3


def test_weaker_evidence_weighs_more():
    class Entry:
        quantity = D(10)

    assert weight_of(Entry, D(10), None) == D(8)
    assert weight_of(Entry, D(10), "documented") == D(4)
    assert weight_of(Entry, D(10), "independent") == D(2)


def test_a_sample_never_exceeds_what_there_is(provider, figures):
    assert draw_sample(provider, start_year=2023, size=99, by=None, seed=1).items.count() == 4


def test_nothing_reported_means_nothing_to_draw(provider):
    with pytest.raises(ValueError, match="No figures"):
        draw_sample(provider, start_year=2023, size=5, by=None)


def test_a_finding_that_does_not_confirm_needs_a_note(provider, figures, olivia_officer):
    item = draw_sample(provider, start_year=2023, size=1, by=None, seed=3).items.get()
    with pytest.raises(ValueError, match="Say what was found"):
        record_check(item, result=SampleItem.Result.NOT_CONFIRMED, note="", by=olivia_officer)
    record_check(item, result=SampleItem.Result.CONFIRMED, note="", by=olivia_officer)
    item.refresh_from_db()
    assert (item.result, item.checked_by) == ("confirmed", olivia_officer)


def test_an_officer_draws_and_records_through_the_pages(client, provider, figures, olivia_officer):
    client.force_login(olivia_officer)
    response = client.post("/verification/samples/", {"year": "2023-24", "size": "2"})
    sample_url = response["Location"]
    item = SampleItem.objects.first()
    client.post(
        f"/verification/items/{item.pk}/", {"result": "adjusted", "note": "Payroll showed 2, not 3"}
    )
    assert "Payroll showed 2, not 3" in client.get(sample_url).content.decode()
    bad = client.post("/verification/samples/", {"year": "2023-24", "size": "lots"}, follow=True)
    assert "whole number" in bad.content.decode()


def key(raw, provider):
    return person_key(raw, provider_id=provider.pk, secret="test-secret")


def test_the_same_person_on_two_contracts_is_flagged_and_counted_once(
    provider, framework, supplier, contract
):
    second = make_contract(framework, "DEC-002", supplier=supplier)
    ret = open_year_return(supplier, YEAR, by=None)
    same = key("AB123", provider)
    facts = [
        Fact(
            contract,
            measure("apprenticeships-created"),
            YEAR.start,
            YEAR.end,
            D(1),
            {"trade": "Plumbing"},
            "",
            same,
        ),
        Fact(
            second,
            measure("apprenticeships-created"),
            YEAR.start,
            YEAR.end,
            D(1),
            {"trade": "Plumbing"},
            "",
            same,
        ),
        Fact(
            second,
            measure("apprenticeships-created"),
            YEAR.start,
            YEAR.end,
            D(1),
            {"trade": "Joinery"},
            "",
            key("ZZ999", provider),
        ),
    ]
    save_entries(ret, facts, by=None)
    submit_return(ret, by=None)
    repeats = repeated_people(provider, 2023)
    assert [len(r.entries) for r in repeats] == [2]
    report = annual_report(Scope(provider), YEAR, basis="reported")
    line = report.measure("apprenticeships-created")
    assert line.headline.value == 2  # three entries, two people
    by_contract = annual_report(Scope(provider, "contract", second), YEAR, basis="reported")
    assert (
        by_contract.measure("apprenticeships-created").headline.value == 2
    )  # both people are on it


def test_the_same_gift_on_two_contracts_is_flagged(provider, framework, supplier, contract):
    second = make_contract(framework, "DEC-002", supplier=supplier)
    gift = {"donation-type": "money", "description": "Food bank"}
    make_return(
        supplier,
        [
            (contract, "donations", 500, gift),
            (second, "donations", 500, {**gift, "description": "food  BANK"}),
        ],
    )
    assert [r.label for r in repeated_donations(provider, 2023)] == ["Food bank"]
