"""A supplier contributor fills in a return on the web, contract by contract and measure by
measure; every mistake is explained next to its field and nothing wrong is saved."""

from datetime import date
from decimal import Decimal as D

import pytest

from socialledger.contracts.models import Spend
from socialledger.returns.models import Entry, Status
from socialledger.rounds.actions import open_round


@pytest.fixture
def ret(provider, contract):
    Spend.objects.create(contract=contract, period_end=date(2025, 3, 31), amount=D(200_000))
    round_ = open_round(
        provider,
        name="2024-25",
        period_start=date(2024, 4, 1),
        period_end=date(2025, 3, 31),
        opens_on=date(2025, 5, 1),
        closes_on=date(2025, 6, 30),
        by=None,
    )
    return round_.returns.get()


def block_url(ret, contract, code):
    from socialledger.returns.tests.factories import measure

    return f"/returns/{ret.pk}/contracts/{contract.pk}/measures/{measure(code).pk}/"


def prefix(contract, code):
    from socialledger.returns.tests.factories import measure

    return f"c{contract.pk}-m{measure(code).pk}"


def post(client, ret, contract, code, data, htmx=True):
    p = prefix(contract, code)
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        block_url(ret, contract, code), {f"{p}-{k}": v for k, v in data.items()}, headers=headers
    )


def errors(response) -> list[str]:
    return list(response.context_data["block"].errors.values())


@pytest.fixture
def cara(client, cara_contributor):
    client.force_login(cara_contributor)
    return client


def test_a_total_is_saved_as_one_figure(cara, ret, contract):
    response = post(cara, ret, contract, "jobs-created", {"total": "12"})
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    assert Entry.objects.get().quantity == D(12)


def test_saving_again_replaces_and_never_doubles(cara, ret, contract):
    post(cara, ret, contract, "jobs-created", {"total": "12"})
    post(cara, ret, contract, "jobs-created", {"total": "15"})
    assert list(Entry.objects.values_list("quantity", flat=True)) == [D(15)]


def test_a_split_saves_one_figure_per_row(cara, ret, contract):
    post(
        cara,
        ret,
        contract,
        "jobs-created",
        {
            "total": "10",
            "row0-quantity": "7",
            "row0-hours": "full-time",
            "row1-quantity": "3",
            "row1-hours": "part-time",
        },
    )
    assert sorted(Entry.objects.values_list("breakdown_key", "quantity")) == [
        ("hours=full-time", D(7)),
        ("hours=part-time", D(3)),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"total": "-3"}, "must not be negative"),
        ({"total": "lots"}, "is not a number"),
        ({"total": "2.5"}, "whole number of people"),
        (
            {"total": "10", "row0-quantity": "12", "row0-hours": "part-time"},
            "12 is larger than the total of 10 people",
        ),
        (
            {
                "total": "10",
                "row0-quantity": "6",
                "row0-hours": "full-time",
                "row1-quantity": "3",
                "row1-hours": "part-time",
            },
            "The rows add up to 9, not the total of 10",
        ),
        ({"row0-quantity": "2", "row0-hours": "overtime"}, "use one of: full-time, part-time"),
        (
            {
                "row0-quantity": "2",
                "row0-hours": "full-time",
                "row1-quantity": "1",
                "row1-hours": "full-time",
            },
            "repeats row 1",
        ),
        ({"row0-hours": "full-time"}, "give a quantity in people"),
    ],
)
def test_each_mistake_is_explained_and_nothing_is_saved(cara, ret, contract, data, message):
    response = post(cara, ret, contract, "jobs-created", data)
    assert any(message in error for error in errors(response)), errors(response)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Entry.objects.exists()


def test_a_donation_needs_a_description(cara, ret, contract):
    response = post(
        cara, ret, contract, "donations", {"row0-quantity": "250", "row0-donation-type": "money"}
    )
    assert any("what was given, and to whom" in error for error in errors(response))
    post(
        cara,
        ret,
        contract,
        "donations",
        {"row0-quantity": "250", "row0-donation-type": "money", "row0-description": "Food bank"},
    )
    assert Entry.objects.get().description == "Food bank"


def test_a_persons_id_is_kept_only_as_a_keyed_code(cara, ret, contract):
    post(
        cara,
        ret,
        contract,
        "apprenticeships-created",
        {"row0-quantity": "1", "row0-trade": "Plumbing", "row0-person": "AB123456C"},
    )
    entry = Entry.objects.get()
    assert len(entry.person_key) == 64
    assert "AB123456C" not in entry.person_key
    assert entry.breakdowns == {"trade": "Plumbing"}


def test_add_a_row_offers_a_blank_row_without_saving(cara, ret, contract):
    p = prefix(contract, "jobs-created")
    response = cara.post(
        block_url(ret, contract, "jobs-created"),
        {f"{p}-total": "5", "add_row": "1"},
        headers={"HX-Request": "true"},
    )
    assert len(response.context_data["block"].rows) == 1
    assert not Entry.objects.exists()


def test_without_htmx_a_save_returns_to_the_page(cara, ret, contract):
    response = post(cara, ret, contract, "jobs-created", {"total": "4"}, htmx=False)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{prefix(contract, 'jobs-created')}")


def test_a_contract_with_nothing_to_report_needs_a_nil_return_before_submitting(
    cara, ret, contract
):
    page = cara.post(f"/returns/{ret.pk}/submit/", follow=True).content.decode()
    assert "still missing: DEC-001" in page
    cara.post(
        f"/returns/{ret.pk}/contracts/{contract.pk}/nil/",
        {"nil": "1", "reason": "Works paused all year"},
    )
    cara.post(f"/returns/{ret.pk}/submit/", {"note": "Nothing this year"})
    ret.refresh_from_db()
    assert ret.status == Status.SUBMITTED


def test_a_nil_return_is_refused_while_the_contract_has_figures(cara, ret, contract):
    post(cara, ret, contract, "jobs-created", {"total": "2"})
    page = cara.post(
        f"/returns/{ret.pk}/contracts/{contract.pk}/nil/", {"nil": "1", "reason": "x"}, follow=True
    ).content.decode()
    assert "remove them before saying it has nothing to report" in page


def test_figures_replace_a_nil_return(cara, ret, contract):
    cara.post(f"/returns/{ret.pk}/contracts/{contract.pk}/nil/", {"nil": "1", "reason": "Paused"})
    post(cara, ret, contract, "jobs-created", {"total": "2"})
    assert not ret.scope.get().nil


def test_a_submitted_return_cannot_be_changed_on_the_web(cara, ret, contract):
    post(cara, ret, contract, "jobs-created", {"total": "2"})
    cara.post(f"/returns/{ret.pk}/submit/")
    response = post(cara, ret, contract, "jobs-created", {"total": "3"})
    assert any("only change after it is reopened" in error for error in errors(response))
    assert Entry.objects.get().quantity == D(2)
    page = cara.get(f"/returns/{ret.pk}/").content.decode()
    assert "Submit the return" not in page  # no forms once it has been sent
