"""The JSON API: what a program sees with a token — the same rules as the pages, lists in pages
with a total, filters written like the command line, and one error shape for every failure."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from socialledger.accounts.tests.factories import make_token, make_user
from socialledger.audit.models import AuditEvent
from socialledger.contracts.actions import appoint_supplier
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_supplier
from socialledger.reports.queries import Scope, annual_report
from socialledger.reports.renderers import render_json
from socialledger.reports.working import working_lines
from socialledger.returns.models import Entry, Return, Status
from socialledger.returns.tests.factories import make_return
from socialledger.rounds.actions import open_round
from tests.api_helpers import ApiClient

YEAR = FinancialYear(2023)


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return body["error"]


@pytest.fixture
def officer(olivia_officer) -> ApiClient:
    return ApiClient(make_token(olivia_officer))


@pytest.fixture
def cara(cara_contributor) -> ApiClient:
    return ApiClient(make_token(cara_contributor))


@pytest.fixture
def otto(otto_outsider) -> ApiClient:
    return ApiClient(make_token(otto_outsider))


@pytest.fixture
def verified(supplier, contract):
    return make_return(supplier, [(contract, "jobs-created", 4)], year=YEAR)


# --- Seeing only what the token's role may -----------------------------------------------------


def test_an_outsider_gets_404_for_another_providers_objects(otto, contract, verified):
    for path in (f"/contracts/{contract.pk}", f"/returns/{verified.pk}"):
        answer = otto.get(path)
        assert answer.status_code == 404, path
        assert error_of(answer)["code"] == "not_found"
    assert otto.get("/reports/annual", scope="supplier:CRS").status_code == 404
    assert otto.get("/contracts").json()["count"] == 0


def test_a_member_sees_its_contracts_but_no_returns(mo_member_viewer, contract, verified):
    mo = ApiClient(make_token(mo_member_viewer))
    assert mo.get(f"/contracts/{contract.pk}").status_code == 200
    assert mo.get("/returns").json()["count"] == 0
    assert mo.get(f"/returns/{verified.pk}").status_code == 404


def test_a_role_that_may_not_do_something_is_told_so(mo_member_viewer, contract, verified):
    mo = ApiClient(make_token(mo_member_viewer))
    refused = mo.post(f"/returns/{verified.pk}/verify", {})
    assert refused.status_code == 403
    error = error_of(refused)
    assert error["code"] == "forbidden"
    assert "member viewer may not verify returns" in error["message"]


# --- Lists, filters and errors ------------------------------------------------------------------


def test_lists_come_in_pages_with_the_total_count(officer, framework, member, supplier):
    for number in range(1, 6):
        make_contract(framework, f"DEC-{number:03}", member=member, supplier=supplier)
    page = officer.get("/contracts", limit=2, offset=2).json()
    assert page["count"] == 5
    assert (page["limit"], page["offset"]) == (2, 2)
    assert [c["reference"] for c in page["items"]] == ["DEC-003", "DEC-004"]


def test_contracts_are_filtered_by_a_year_written_like_the_command_line(
    officer, framework, member, supplier
):
    make_contract(framework, "OLD", member=member, supplier=supplier, ends_on=date(2022, 3, 31))
    make_contract(framework, "LIVE", member=member, supplier=supplier, starts_on=date(2023, 6, 1))
    live = officer.get("/contracts", year="2023-24").json()
    assert [c["reference"] for c in live["items"]] == ["LIVE"]
    assert officer.get("/contracts", year="2021-22").json()["count"] == 1


def test_a_scope_filters_contracts_and_commitments(officer, framework, member, supplier, provider):
    make_contract(framework, "MINE", member=member, supplier=supplier)
    make_contract(framework, "THEIRS", member=member, supplier=make_supplier(provider, "BWC"))
    found = officer.get("/contracts", scope="supplier:BWC").json()
    assert [c["reference"] for c in found["items"]] == ["THEIRS"]


def test_a_bad_year_is_refused_naming_the_field(officer):
    refused = officer.get("/contracts", year="2023-25")
    assert refused.status_code == 422
    error = error_of(refused)
    assert error["details"][0]["field"] == "year"
    assert "2023-25" in error["message"]


def test_invalid_input_lists_every_field_at_fault(cara, contract):
    opened = cara.post("/returns", {"year": "2024-25"}).json()
    refused = cara.post(
        f"/returns/{opened['id']}/entries",
        {
            "entries": [
                {"contract_id": contract.pk, "measure": "jobs-created", "quantity": "1.5"},
                {
                    "contract_id": contract.pk,
                    "measure": "jobs-created",
                    "quantity": "2",
                    "breakdowns": {"hours": "sometimes"},
                },
                {"contract_id": contract.pk, "measure": "no-such-measure", "quantity": "1"},
            ]
        },
    )
    assert refused.status_code == 422
    fields = {d["field"]: d["message"] for d in error_of(refused)["details"]}
    assert "whole number" in fields["entries.0.quantity"]
    assert "sometimes" in fields["entries.1.breakdowns.hours"]
    assert "entries.2.measure" in fields
    assert not Entry.objects.filter(submission_id=opened["id"]).exists()


def test_a_malformed_body_answers_422_in_the_same_shape(cara, contract):
    opened = cara.post("/returns", {"year": "2024-25"}).json()
    refused = cara.post(f"/returns/{opened['id']}/entries", {"entries": [{"quantity": "x"}]})
    assert refused.status_code == 422
    fields = {d["field"] for d in error_of(refused)["details"]}
    assert {"entries.0.contract_id", "entries.0.measure"} <= fields


def test_an_unknown_address_and_a_wrong_verb_answer_in_the_error_shape(officer):
    missing = officer.get("/no-such-thing")
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "not_found"
    wrong = officer.delete("/contracts")
    assert wrong.status_code == 405
    assert error_of(wrong)["code"] == "method_not_allowed"


def test_too_many_requests_answer_429_in_the_error_shape(cara, settings):
    settings.API_RATE = "3/min"
    answers = [cara.get("/me").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    throttled = cara.get("/me")
    assert error_of(throttled)["code"] == "throttled"
    assert int(throttled["Retry-After"]) >= 1


# --- Returns from start to finish -------------------------------------------------------------


def test_a_supplier_fills_in_and_submits_a_return_and_an_officer_verifies_it(
    cara, officer, contract
):
    opened = cara.post("/returns", {"year": "2024-25"})
    assert opened.status_code == 201
    ret = opened.json()
    saved = cara.post(
        f"/returns/{ret['id']}/entries",
        {
            "entries": [
                {
                    "contract_id": contract.pk,
                    "measure": "jobs-created",
                    "quantity": "3",
                    "breakdowns": {"hours": "full-time"},
                    "person_id": "PAY-0001",
                },
                {
                    "contract_id": contract.pk,
                    "measure": "donations",
                    "quantity": "250.50",
                    "description": "Kit for the under-11s",
                },
            ]
        },
    ).json()
    assert (saved["added"], saved["return"]["status"]) == (2, "draft")
    again = cara.post(
        f"/returns/{ret['id']}/entries",
        {
            "entries": [
                {
                    "contract_id": contract.pk,
                    "measure": "donations",
                    "quantity": "300",
                    "description": "Kit for the under-11s",
                }
            ]
        },
    ).json()
    assert (again["added"], again["changed"]) == (0, 1)
    assert cara.post(f"/returns/{ret['id']}/submit", {}).json()["status"] == "submitted"
    verified = officer.post(f"/returns/{ret['id']}/verify", {"note": "Checked payroll"})
    assert verified.json()["status"] == "verified"
    report = officer.get("/reports/annual", year="2024-25").json()
    jobs = next(m for m in report["measures"] if m["code"] == "jobs-created")
    assert jobs["current"]["verified"]["value"] == "3"
    entries = officer.get(f"/returns/{ret['id']}/entries").json()["items"]
    assert {e["quantity"] for e in entries} == {"3", "300"}
    assert all(e["person_key"] != "PAY-0001" for e in entries)
    via = AuditEvent.objects.filter(action="return.verified").values_list("actor_label", flat=True)
    assert list(via) == ["olivia (api)"]


def test_replace_mode_makes_the_figures_exactly_those_given(cara, contract):
    ret = cara.post("/returns", {"year": "2024-25"}).json()
    first = {"contract_id": contract.pk, "measure": "jobs-created", "quantity": "3"}
    part_time = {**first, "quantity": "1", "breakdowns": {"hours": "part-time"}}
    cara.post(f"/returns/{ret['id']}/entries", {"entries": [first, part_time]})
    replaced = cara.post(
        f"/returns/{ret['id']}/entries", {"entries": [first], "mode": "replace"}
    ).json()
    assert (replaced["removed"], replaced["unchanged"]) == (1, 1)


def test_a_nil_return_covers_a_contract_with_nothing_to_report(
    cara, framework, member, supplier, contract, provider
):
    quiet = make_contract(framework, "DEC-009", member=member, supplier=supplier)
    open_round(
        provider,
        name="2024-25",
        period_start=date(2024, 4, 1),
        period_end=date(2025, 3, 31),
        opens_on=date(2025, 4, 1),
        closes_on=date(2025, 6, 30),
        always_included=[framework],
        by=None,
    )
    ret = Return.objects.get(financial_year=2024)
    refused = cara.post(f"/returns/{ret.pk}/submit", {})
    assert refused.status_code == 409
    assert "still missing" in error_of(refused)["message"]
    cara.post(
        f"/returns/{ret.pk}/entries",
        {"entries": [{"contract_id": contract.pk, "measure": "jobs-created", "quantity": "2"}]},
    )
    nil = cara.post(f"/returns/{ret.pk}/nil", {"contract_id": quiet.pk, "reason": "Not started"})
    assert {c["reference"]: c["nil"] for c in nil.json()["contracts"]} == {
        "DEC-001": False,
        "DEC-009": True,
    }
    assert cara.post(f"/returns/{ret.pk}/submit", {}).json()["status"] == "submitted"


def test_officer_decisions_follow_the_same_rules_as_the_page(officer, supplier, contract):
    ret = make_return(supplier, [(contract, "jobs-created", 2)], status=Status.SUBMITTED)
    no_reason = officer.post(f"/returns/{ret.pk}/query", {})
    assert no_reason.status_code == 409
    assert "Say why" in error_of(no_reason)["message"]
    assert officer.post(f"/returns/{ret.pk}/query", {"note": "Which site?"}).status_code == 200
    not_now = officer.post(f"/returns/{ret.pk}/verify", {})
    assert not_now.status_code == 409
    assert error_of(not_now)["code"] == "not_allowed_now"
    assert officer.post(f"/returns/{ret.pk}/reopen", {"note": "Fix"}).json()["status"] == "draft"


def test_an_auditor_reads_but_cannot_decide(provider, supplier, contract):
    ret = make_return(supplier, [(contract, "jobs-created", 2)], status=Status.SUBMITTED)
    auditor = ApiClient(make_token(make_user("audrey", provider, "auditor")))
    assert auditor.get(f"/returns/{ret.pk}").status_code == 200
    assert auditor.post(f"/returns/{ret.pk}/verify", {}).status_code == 403


# --- Contracts ------------------------------------------------------------------------------


def test_an_officer_lets_a_contract_and_it_is_audited(officer, framework, member, supplier):
    lot = framework.lots.get(reference="1")
    appoint_supplier(lot, supplier, by=None)
    made = officer.post(
        "/contracts",
        {
            "lot_id": lot.pk,
            "reference": "DEC-050",
            "title": "Kitchens, Eastfield",
            "member_id": member.pk,
            "supplier_id": supplier.pk,
            "value": "1250000.00",
            "starts_on": "2024-05-01",
        },
    )
    assert made.status_code == 201
    assert made.json()["value"] == "1250000"
    event = AuditEvent.objects.get(action="contract.created")
    assert event.actor_label == "olivia (api)"


def test_a_contract_for_a_supplier_not_on_the_lot_is_refused(officer, framework, member, provider):
    stranger = make_supplier(provider, "NEW")
    refused = officer.post(
        "/contracts",
        {
            "lot_id": framework.lots.get(reference="2").pk,
            "reference": "DEC-051",
            "title": "Roofs",
            "member_id": member.pk,
            "supplier_id": stranger.pk,
            "value": "10",
            "starts_on": "2024-05-01",
        },
    )
    assert refused.status_code == 422
    assert error_of(refused)["details"][0]["field"] == "supplier_id"


# --- Reports ------------------------------------------------------------------------------------


def test_the_report_is_the_same_object_as_the_json_download(officer, provider, verified):
    answer = officer.get("/reports/annual", year="2023-24").json()
    working = answer.pop("working")
    expected = json.loads(render_json(annual_report(Scope(provider), YEAR)))
    assert answer == expected
    assert working == {"total": ["No value set has been chosen, so no £ figure was made."]}


def test_each_pound_figure_comes_with_its_working(officer, provider, verified):
    from socialledger.valuation.actions import choose_value_set
    from socialledger.valuation.models import ValueSet

    choose_value_set(provider, ValueSet.objects.first(), by=None, reason="open default")
    answer = officer.get("/reports/annual", year="2023-24", price_year="2023-24").json()
    report = annual_report(Scope(provider), YEAR, price_year=2023)
    assert answer["money"] is not None
    assert answer["working"]["jobs-created"] == working_lines(report, "jobs-created")
    one = officer.get("/reports/working/jobs-created", year="2023-24", price_year="2023-24")
    assert one.json()["lines"] == working_lines(report, "jobs-created")
    assert officer.get("/reports/working/nonsense", year="2023-24").status_code == 404


def test_the_report_downloads_come_from_the_api_too(officer, verified):
    pdf = officer.get("/exports/report", year="2023-24", format="pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    text = officer.get("/exports/report", year="2023-24", format="txt").content.decode()
    assert "Jobs created" in text


def test_entries_are_exported_streamed_in_the_import_format(officer, verified):
    answer = officer.get("/exports/entries", year="2023-24", format="csv")
    assert answer.streaming
    lines = b"".join(answer.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("framework,contract,supplier,member,measure,financial_year")
    assert lines[1].startswith("DEC,DEC-001,CRS,LFH,jobs-created,2023-24,,,4,")


def test_quantities_stay_exact_decimals(cara, contract):
    ret = cara.post("/returns", {"year": "2024-25"}).json()
    cara.post(
        f"/returns/{ret['id']}/entries",
        {
            "entries": [
                {"contract_id": contract.pk, "measure": "volunteering-days", "quantity": "0.1"}
            ]
        },
    )
    assert Entry.objects.get().quantity == Decimal("0.1")
