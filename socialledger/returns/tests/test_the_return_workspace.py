"""The supplier's return page is a workspace: one Save for the whole page, what is saved and
what is still missing at the top, a nil return in one click, and the conversation with the
provider kept for ever. The supplier's home page leads with what is asked of them."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.test import Client

from socialledger.contracts.tests.factories import make_contract
from socialledger.returns.actions import query_return, submit_return
from socialledger.returns.models import Entry, Status
from socialledger.returns.tests.factories import measure
from socialledger.rounds.tests.factories import make_round_return


@pytest.fixture
def second(framework, supplier):
    return make_contract(framework, "DEC-002", supplier=supplier)


@pytest.fixture
def ret(provider, contract, second):
    return make_round_return(provider, [contract, second])


@pytest.fixture
def cara(client, cara_contributor):
    client.force_login(cara_contributor)
    return client


def field(contract, code, name):
    return f"c{contract.pk}-m{measure(code).pk}-{name}"


def page_fields(cara, ret) -> dict[str, str]:
    """Every figure field the page offers, as a browser would post it untouched."""
    blocks = cara.get(f"/returns/{ret.pk}/").context_data["contracts"]
    posted = {}
    for section in blocks:
        for block in section["blocks"]:
            posted[block.total_field["name"]] = block.total_field["value"]
            for row in block.row_fields():
                posted[row["quantity"]["name"]] = row["quantity"]["value"]
                posted[row["description"]["name"]] = row["description"]["value"]
    return posted


def save_all(cara, ret, changes: dict[str, str]):
    return cara.post(f"/returns/{ret.pk}/figures/", page_fields(cara, ret) | changes)


def test_save_all_saves_every_changed_figure_on_the_page(cara, ret, contract, second):
    response = save_all(
        cara,
        ret,
        {
            field(contract, "jobs-created", "total"): "12",
            field(second, "volunteering-days", "total"): "1,250.5",
        },
    )
    assert response.status_code == 302
    assert sorted(
        Entry.objects.values_list("contract__reference", "measure__code", "quantity")
    ) == [
        ("DEC-001", "jobs-created", D(12)),
        ("DEC-002", "volunteering-days", D("1250.5")),
    ]


def test_save_all_saves_nothing_when_one_figure_is_wrong(cara, ret, contract, second):
    response = save_all(
        cara,
        ret,
        {
            field(contract, "jobs-created", "total"): "12",
            field(second, "volunteering-days", "total"): "£500",
        },
    )
    assert response.status_code == 200
    assert not Entry.objects.exists()
    page = response.content.decode()
    assert "Nothing was saved" in page
    assert "not money" in page
    assert 'value="12"' in page  # what was typed is kept, to be corrected, not typed again


def test_save_all_leaves_untouched_blocks_alone(cara, ret, contract):
    save_all(cara, ret, {field(contract, "jobs-created", "total"): "12"})
    response = save_all(cara, ret, {})
    assert response.status_code == 302
    assert Entry.objects.get().quantity == D(12)
    assert ret.entries.count() == 1


def test_the_page_says_what_is_saved_and_what_is_missing_at_the_top(cara, ret, contract, second):
    save_all(cara, ret, {field(contract, "jobs-created", "total"): "12"})
    page = cara.get(f"/returns/{ret.pk}/").content.decode()
    top = page[page.index("return-progress") :][:400]
    assert "1 figure saved" in top
    assert "Still missing" in top
    assert "DEC-002" in top
    assert "DEC-001" not in top


def test_a_nil_return_takes_one_click_with_a_reason_already_offered(cara, ret, second):
    page = cara.get(f"/returns/{ret.pk}/").content.decode()
    assert f'id="nil-{second.pk}"' in page
    assert "No social value activity on this contract in the period" in page
    cara.post(
        f"/returns/{ret.pk}/contracts/{second.pk}/nil/",
        {"nil": "1", "reason": "No social value activity on this contract in the period"},
    )
    assert ret.scope.get(contract=second).nil


def test_the_page_warns_before_leaving_with_unsaved_figures(cara, ret):
    page = cara.get(f"/returns/{ret.pk}/").content.decode()
    assert "data-warn-unsaved" in page
    assert "Save all" in page


def test_the_conversation_stays_for_both_sides_after_the_answer(
    cara, ret, contract, second, olivia_officer, cara_contributor
):
    save_all(
        cara,
        ret,
        {
            field(contract, "jobs-created", "total"): "3",
            field(second, "jobs-created", "total"): "1",
        },
    )
    ret = submit_return(ret, by=cara_contributor, note="From payroll")
    ret = query_return(ret, by=olivia_officer, note="Which payroll month?")
    ret = submit_return(ret, by=cara_contributor, note="March 2025")
    ret.refresh_from_db()
    assert ret.status == Status.RESUBMITTED
    officer = Client()
    officer.force_login(olivia_officer)
    for client in (cara, officer):
        page = client.get(f"/returns/{ret.pk}/").content.decode()
        thread = page[page.index('class="thread"') :]
        said = [
            thread.index(text) for text in ("From payroll", "Which payroll month?", "March 2025")
        ]
        assert said == sorted(said), "the thread reads in the order it happened"
        assert "asked" in thread
        assert "answered and resubmitted" in thread


def test_the_supplier_home_page_leads_with_what_is_asked(
    cara, provider, ret, contract, second, olivia_officer, cara_contributor, supplier
):
    page = cara.get("/").content.decode()
    assert "What is asked of you" in page
    assert "is due by" in page
    assert ret.round.closes_on.strftime("%-d %B %Y") in page
    for c in (contract, second):
        cara.post(f"/returns/{ret.pk}/contracts/{c.pk}/nil/", {"nil": "1", "reason": "None"})
    ret = submit_return(ret, by=cara_contributor)
    query_return(ret, by=olivia_officer, note="Really nothing on DEC-002?")
    page = cara.get("/").content.decode()
    assert "Returns the provider has asked about" in page
    assert "Really nothing on DEC-002?" in page
    assert f"/returns/{ret.pk}/" in page


def test_provider_staff_are_not_shown_a_suppliers_list(client, olivia_officer, ret):
    client.force_login(olivia_officer)
    assert "What is asked of you" not in client.get("/").content.decode()
