"""The same figure is accepted, stored or refused the same way at every door: the web return,
the API, the return workbook and the CSV import all hand it to the one figure intake."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from socialledger.accounts.tests.factories import make_token
from socialledger.imports.actions import import_return_workbook, return_workbook
from socialledger.imports.reading import ImportRefused, parse_csv_text
from socialledger.imports.tests.helpers import import_text, rolled_back
from socialledger.lib.csvsafe import safe_csv_lines
from socialledger.lib.periods import FinancialYear
from socialledger.returns.actions import open_year_return
from socialledger.returns.tests.factories import measure
from tests.api_helpers import ApiClient

YEAR = FinancialYear(2024)
LONG = "x" * 301
KIT = "Kit for the under-11s"
AWKWARD = [
    # (measure, quantity as typed, description as typed, what every door must do)
    ("volunteering-days", "£500", "", "refused: counts days, not money"),
    ("volunteering-days", "1,250.5", "", ("stored", D("1250.5"), "")),
    ("volunteering-days", "1.2.3", "", "refused: is not a number"),
    ("jobs-created", "ten", "", "refused: write it in digits"),
    ("jobs-created", "-5", "", "refused: must not be negative"),
    ("jobs-created", "2.5", "", "refused: whole number of people"),
    ("jobs-created", "", "a row with no quantity", "refused: give a quantity in people"),
    ("donations", "£1,250.50", " Kit  for\tthe under-11s ", ("stored", D("1250.5"), KIT)),
    ("donations", "250", "", "refused: needs a description"),
    ("donations", "10", LONG, "refused: at most 300 characters"),
    ("donations", "40", '=HYPERLINK("http://x")', ("stored", D(40), '=HYPERLINK("http://x")')),
]


@pytest.fixture
def ret(supplier, contract):
    return open_year_return(supplier, YEAR, by=None)


def stored(ret, code):
    return [(e.quantity, e.description) for e in ret.entries.filter(measure=measure(code))]


def by_web(client, ret, contract, code, quantity, description):
    m = measure(code)
    prefix = f"c{contract.pk}-m{m.pk}-row0-"
    response = client.post(
        f"/returns/{ret.pk}/contracts/{contract.pk}/measures/{m.pk}/",
        {f"{prefix}quantity": quantity, f"{prefix}description": description},
        headers={"HX-Request": "true"},
    )
    return set(response.context_data["block"].errors.values())


def by_api(api, ret, contract, code, quantity, description):
    entry = {"contract_id": contract.pk, "measure": code, "quantity": quantity}
    answer = api.post(
        f"/returns/{ret.pk}/entries", {"entries": [entry | {"description": description}]}
    )
    if answer.status_code == 200:
        return set()
    assert answer.status_code == 422, answer.content
    return {detail["message"] for detail in answer.json()["error"]["details"]}


def by_workbook(ret, contract, code, quantity, description):
    book = load_workbook(io.BytesIO(return_workbook(ret)))
    sheet = book["Figures"]
    columns = {cell.value: cell.column for cell in sheet[1]}
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value is None)
    values = {
        "Contract": contract.reference,
        "Measure": measure(code).name,
        "Quantity": quantity,
        "Description": description,
    }
    for heading, value in values.items():
        cell = sheet.cell(row, columns[heading], value)
        cell.data_type = "s"  # what a person types is text, even when it starts with "="
    out = io.BytesIO()
    book.save(out)
    try:
        import_return_workbook(ret, SimpleUploadedFile("return.xlsx", out.getvalue()), by=None)
    except ImportRefused as refused:
        return {problem.expected for problem in refused.problems}
    return set()


def by_csv(ret, contract, code, quantity, description):
    provider = ret.provider
    header = "framework,contract,supplier,member,measure,financial_year,quantity,description,status"
    row = [
        contract.framework.reference,
        contract.reference,
        ret.supplier.reference,
        contract.member.reference,
        code,
        YEAR.label,
        quantity,
        description,
        "draft",
    ]
    text = header + "\n" + "".join(safe_csv_lines([row]))
    try:
        import_text(provider, text)
    except ImportRefused as refused:
        return {problem.expected for problem in refused.problems}
    return set()


@pytest.mark.parametrize(("code", "quantity", "description", "outcome"), AWKWARD)
def test_every_door_accepts_or_refuses_a_figure_by_the_same_rule(
    client, cara_contributor, ret, contract, code, quantity, description, outcome
):
    client.force_login(cara_contributor)
    api = ApiClient(make_token(cara_contributor))
    doors = {
        "web": lambda: by_web(client, ret, contract, code, quantity, description),
        "api": lambda: by_api(api, ret, contract, code, quantity, description),
        "workbook": lambda: by_workbook(ret, contract, code, quantity, description),
        "csv": lambda: by_csv(ret, contract, code, quantity, description),
    }
    seen = {}
    for door, send in doors.items():
        with rolled_back():
            refusals = send()
            seen[door] = (refusals, stored(ret, code))
    if isinstance(outcome, tuple):
        _stored, quantity_stored, description_stored = outcome
        expected = (set(), [(quantity_stored, description_stored)])
        assert seen == dict.fromkeys(doors, expected)
    else:
        rule = outcome.removeprefix("refused: ")
        messages = {door: refusals for door, (refusals, _entries) in seen.items()}
        assert all(len(found) == 1 for found in messages.values()), messages
        assert len(set(map(frozenset, messages.values()))) == 1, messages
        assert rule in next(iter(messages["web"])), messages
        assert all(entries == [] for _refusals, entries in seen.values())


def test_the_csv_reads_what_the_intake_reads(provider, ret, contract):
    """The CSV keeps its own cells (the financial year, the status) and nothing else of a
    figure's rules: a quantity the intake reads is read the same way."""
    header = "framework,contract,supplier,member,measure,financial_year,quantity,status"
    text = f'{header}\nDEC,DEC-001,CRS,LFH,volunteering-days,{YEAR.label},"1,318.25",draft\n'
    assert parse_csv_text(text).rows[0][1]["quantity"] == "1,318.25"
    import_text(provider, text)
    assert stored(ret, "volunteering-days") == [(D("1318.25"), "")]
