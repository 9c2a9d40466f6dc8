"""Every form and every page that reads what it is sent, fed generated input: text of every kind
(NUL characters, control characters, right-to-left marks, thousands of characters), numbers far
too large, formulas, dates that are not dates, names of fields that do not exist, files of any
bytes, sent as the person whose form it is. The answer is never a server error; the hostile
text cases below also check that a NUL character gets its 400 page.

Every JSON API operation that takes a body is sent generated JSON too, with a read-and-write
token of a persona the permission matrix lets through (the NUL-character middleware does not
read JSON bodies: the API refuses NUL itself, as PostgreSQL cannot store it);
tests/test_api_schema_fuzz.py fuzzes the same operations from their schema.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialledger.accounts.actions import create_api_token
from socialledger.accounts.models import Membership
from tests.test_permission_matrix import (  # noqa: F401 - world is the fixture
    API_MATRIX,
    MATRIX,
    PERSONAS,
    world,
)

EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Who fills in each form (the persona the matrix lets through), for every route taking a POST.
FORMS = {
    "report-publish": "provider_admin",
    "report-unpublish": "provider_admin",
    "switch-organisation": "contributor",
    "two-factor-setup": "contributor",
    "two-factor-verify": "contributor",
    "two-factor-remove": "contributor",
    "accept-invitation": "anonymous",
    "invite": "provider_admin",
    "change-role": "provider_admin",
    "set-membership-active": "provider_admin",
    "revoke-invitation": "provider_admin",
    "resend-invitation": "provider_admin",
    "framework-new": "officer",
    "framework-edit": "officer",
    "lot-new": "officer",
    "setup-lot": "officer",
    "lot-appoint": "officer",
    "lot-remove-supplier": "officer",
    "commitment-set": "officer",
    "commitment-edit": "officer",
    "commitment-remove": "officer",
    "organisation-new": "officer",
    "setup-organisation": "officer",
    "contract-new": "officer",
    "contract-edit": "officer",
    "commitment-new": "officer",
    "spend-new": "officer",
    "provider-security": "provider_admin",
    "return-figures": "contributor",
    "return-save-all": "contributor",
    "return-nil": "contributor",
    "return-submit": "contributor",
    "return-decide": "officer",
    "warning-check": "officer",
    "return-claim": "contributor",
    "claim-record": "officer",
    "evidence-add": "contributor",
    "evidence-grade": "officer",
    "evidence-remove": "contributor",
    "return-workbook-upload": "contributor",
    "round-new": "officer",
    "sample-draw": "officer",
    "sample-check": "officer",
    "report-minimum-strength": "provider_admin",
    "spend-line-add": "contributor",
    "spend-line-remove": "contributor",
    "emissions-new": "officer",
    "slavery-assessment": "officer",
    "part-detail": "subcontractor",
    "part-send": "subcontractor",
    "part-decide": "contributor",
    "subcontractor-new": "contributor",
    "subcontractor-invite": "contributor",
    "case-study-new": "contributor",
    "case-study-photo-add": "contributor",
    "case-study-consent-add": "contributor",
    "case-study-consent-withdraw": "contributor",
    "case-study-approve": "officer",
    "login": "anonymous",
    "logout": "contributor",
    "password_change": "contributor",
    "password_reset": "anonymous",
    "password_reset_confirm": "anonymous",
}
# The forms that take a file, and the file's field.
UPLOADS = {
    "evidence-add": "file",
    "return-workbook-upload": "workbook",
    "case-study-photo-add": "photo",
}
# Pages that read their query string, and who reads them.
QUERIES = {
    "dashboard": "provider_admin",
    "report-download": "member_viewer",
    "report-entries": "officer",
    "report-compare": "provider_admin",
    "return-list": "officer",
    "audit-log": "provider_admin",
    "audit-export": "provider_admin",
    "contract-list": "member_viewer",
    "verification": "officer",
    "working": "provider_admin",
}
# Every API operation that takes a JSON body, with the first persona the matrix lets through.
API_BODIES = {
    operation: next(p for p in PERSONAS if expected[p] not in (401, 403, 404))
    for operation, (_build, body, expected) in API_MATRIX.items()
    if body is not None
}

FIELDS = [
    "note", "reason", "nil", "version", "year", "size", "result", "threshold", "grade", "link",
    "description", "entry", "membership", "role", "active", "email", "organisation", "username",
    "password", "password_again", "code", "required", "name", "opens_on", "closes_on",
    "min_spend", "always_included", "old_password", "new_password1", "new_password2", "next",
    "basis", "scope", "price_year", "league", "measure", "breakdown", "group", "status", "page",
    "q", "key", "threshold", "reference", "title", "starts_on", "ends_on", "value", "lot",
    "member", "supplier", "location", "sector", "region", "local_authority_code", "quantity",
    "period_end", "amount", "companies_house_number",
    "given_on", "until", "uses", "person", "given_by", "story", "quote", "quoted", "alt_text",
    "minimum", "strength", "contract",
    "paid", "additionality", "scope_1", "scope_2", "scope_3_4", "baseline", "baseline_year",
    "commitment", "commitment_year", "due_on", "done", "done_on", "evidence", "follow_up",
    "size", "size_basis", "is_vcse", "postcode", "local_districts",
]  # fmt: skip
values = st.one_of(
    st.text(max_size=20),
    st.text(min_size=1000, max_size=20_000),
    st.sampled_from(
        ["\x00", "a\x00b", "=1+2", "+SUM(A1)", "-1", "@x", "\u202e", "😀" * 50, "9" * 400, "1e400"]
    ),
    st.sampled_from(["NaN", "-0", "0", "1", "2023-24", "1900-01", "2999-00", "31/02/2024"]),
    st.integers(-(10**40), 10**40).map(str),
    st.sampled_from(["verified", "reported", "provider", "framework:DEC", "contract:X/Y", "/"]),
)


@st.composite
def form_data(draw, block_fields: list[str]) -> dict:
    names = st.one_of(st.sampled_from(FIELDS + block_fields), st.text(min_size=1, max_size=12))
    return draw(st.dictionaries(names, values, max_size=10))


def block_fields(w) -> list[str]:
    prefix = f"c{w.contract.pk}-m{w.measure.pk}"
    return [f"{prefix}-total", f"{prefix}-row0-quantity", f"{prefix}-row0-description"] + [
        f"{prefix}-row{n}-{part}" for n in (1, 199, 200) for part in ("quantity", "person")
    ]


def client_for(w, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(w.users[persona])
    return client


def status_of(client: Client, method: str, url: str, data: dict, files: dict | None = None):
    """The answer's status, with whatever the request changed rolled back."""
    with transaction.atomic():
        if method == "post":
            status = client.post(url, {**data, **(files or {})}).status_code
        else:
            status = client.get(url, data).status_code
        transaction.set_rollback(True)
    return status


@pytest.mark.parametrize("route", sorted(FORMS))
@EXAMPLES
@given(data=st.data())
def test_no_form_answers_generated_input_with_a_server_error(world, route, data):  # noqa: F811
    _method, build, _expected = MATRIX[route]
    posted = data.draw(form_data(block_fields(world)))
    files = {}
    if route in UPLOADS:
        content = data.draw(st.binary(max_size=4000))
        field = UPLOADS[route]
        files[field] = SimpleUploadedFile(data.draw(st.text(max_size=300)) or "x", content)
    status = status_of(client_for(world, FORMS[route]), "post", build(world), posted, files)
    assert status < 500


@pytest.mark.parametrize("route", sorted(QUERIES))
@EXAMPLES
@given(data=st.data())
def test_no_page_answers_a_generated_query_string_with_a_server_error(world, route, data):  # noqa: F811
    _method, build, _expected = MATRIX[route]
    query = data.draw(form_data([]))
    status = status_of(client_for(world, QUERIES[route]), "get", build(world), query)
    assert status < 500


# Hostile text in every free-text field of the forms that store what they are given, in the state
# where they store it (the generated examples above mostly meet the first refusal instead).
HOSTILE_TEXT = ["a\x00b", "x" * 400, "y" * 40_000, '=HYPERLINK("http://x")', "\u202eabc"]


def _draft_with_scope(supplier, contract):
    from socialledger.returns.models import ScopedContract, Status
    from socialledger.returns.tests.factories import make_return

    ret = make_return(supplier, [], status=Status.DRAFT)
    ScopedContract.objects.create(submission=ret, contract=contract)
    return ret


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_text_in_any_stored_field_gets_a_page_never_a_server_error(
    text, supplier, contract, cara_contributor, olivia_officer
):
    from socialledger.returns.models import Status
    from socialledger.returns.tests.factories import make_return, measure

    draft = _draft_with_scope(supplier, contract)
    donations = measure("donations")
    block = f"c{contract.pk}-m{donations.pk}"
    submitted = make_return(
        supplier,
        [(contract, "jobs-created", 1)],
        status=Status.SUBMITTED,
        year=contract.framework.provider.financial_year(2022),
    )
    cara, olivia = Client(), Client()
    cara.force_login(cara_contributor)
    olivia.force_login(olivia_officer)
    requests = [
        (cara, f"/returns/{draft.pk}/contracts/{contract.pk}/nil/", {"nil": "1", "reason": text}),
        (
            cara,
            f"/returns/{draft.pk}/contracts/{contract.pk}/measures/{donations.pk}/",
            {
                f"{block}-total": "5",
                f"{block}-row0-quantity": "5",
                f"{block}-row0-description": text,
                f"{block}-row0-person": text,
                f"{block}-row0-donation-type": "money",
            },
        ),
        (cara, f"/returns/{draft.pk}/evidence/", {"description": text, "link": "https://x.org/"}),
        (cara, f"/returns/{draft.pk}/submit/", {"note": text}),
        (olivia, f"/returns/{submitted.pk}/decisions/query/", {"note": text}),
    ]
    for client, url, data in requests:
        answer = status_of(client, "post", url, data)
        assert answer < 500, url
        if "\x00" in text:
            assert answer == 400, url


def test_a_nul_character_is_refused_with_a_message(client, cara_contributor):
    client.force_login(cara_contributor)
    answer = client.get("/returns/?status=draft\x00")
    assert answer.status_code == 400
    assert "NUL character" in answer.content.decode()


json_bodies = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | values,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(
            st.one_of(st.sampled_from(FIELDS), st.text(max_size=12)), inner, max_size=8
        )
    ),
    max_leaves=20,
)


@pytest.mark.parametrize("route", sorted(API_BODIES))
@EXAMPLES
@given(body=json_bodies)
def test_no_api_endpoint_answers_a_generated_body_with_a_server_error(world, route, body):  # noqa: F811
    method = route.split(" ", 1)[0]
    build = API_MATRIX[route][0]
    user = world.users[API_BODIES[route]]
    membership = Membership.objects.filter(user=user).first()
    secret = create_api_token(membership, name="fuzz", can_write=True, by=user)[1]
    with transaction.atomic():
        answer = Client().generic(
            method,
            build(world),
            json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )
        transaction.set_rollback(True)
    assert answer.status_code < 500
