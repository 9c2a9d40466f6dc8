"""The API fuzzed against its own OpenAPI schema (schemathesis): every operation, called with a
token of each persona, never answers with a server error, and every answer — success or error —
has a status, content type, headers and body that the schema declares.

Example counts are modest so that the whole file takes a few minutes on SQLite and on
PostgreSQL; raise EXAMPLES locally to search harder.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from socialledger.accounts.models import Membership, Role
from socialledger.accounts.tests.factories import bearer, make_token, make_user
from socialledger.api import api
from socialledger.contracts.actions import set_commitment
from socialledger.contracts.tests.factories import make_contract, make_framework
from socialledger.kpis.tests.factories import make_kpi, make_rating
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_member, make_provider, make_supplier
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return, measure
from socialledger.wsgi import application

EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
PERSONAS = [
    "provider_admin",
    "officer",
    "auditor",
    "member_viewer",
    "supplier_contributor",
    "outsider",
]

REPORT_FILES = "/api/v1/exports/report"


def load_schema(phases: list[str]):
    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = application  # calls go straight to the WSGI app, in the test's own transaction
    loaded.config.generation.update(max_examples=EXAMPLES, deterministic=True, database="none")
    loaded.config.phases.update(phases=phases)
    return loaded


# Every operation, with the coverage phase's boundary values too; the report's files (a PDF
# takes a second to draw) are fuzzed without it.
schema = load_schema(["examples", "coverage", "fuzzing"]).exclude(path=REPORT_FILES)
report_files = load_schema(["examples", "fuzzing"]).include(path=REPORT_FILES)


@dataclass
class Tokens:
    by_persona: dict[str, str]


@pytest.fixture
def wsgi_in_the_test_transaction(db):
    """Schemathesis calls the WSGI app itself, not Django's test client; like that client, keep
    Django from closing the database connection (and with it the test's transaction) around
    each request."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(wsgi_in_the_test_transaction, settings) -> Tokens:
    """A small ledger with figures in several states, and a read-write token per persona."""
    from decimal import Decimal

    settings.API_RATE = "100000/min"  # fuzzing is not the throttle's business
    provider = make_provider("NWPP")
    framework = make_framework(provider, "DEC", lots=("1", "2"))
    member, supplier = make_member(provider, "LFH"), make_supplier(provider, "CRS")
    contract = make_contract(framework, "DEC-001", member=member, supplier=supplier)
    make_return(supplier, [(contract, "jobs-created", 3)], year=FinancialYear(2022))
    make_return(supplier, [(contract, "jobs-created", 4)], status=Status.SUBMITTED)
    make_return(
        supplier,
        [(contract, "apprenticeships-created", 1)],
        year=FinancialYear(2024),
        status=Status.DRAFT,
    )
    set_commitment(
        provider,
        measure=measure("jobs-created"),
        financial_year=2023,
        quantity=Decimal(5),
        contract=contract,
        by=None,
    )
    make_rating(make_kpi(contract, "Local jobs", "jobs-created"))
    make_kpi(make_contract(framework, "DEC-BIG", member=member, supplier=supplier, value="9e6"))
    other = make_provider("OTHER")
    outsider_supplier = make_supplier(other, "OTS")
    make_return(
        outsider_supplier,
        [
            (
                make_contract(make_framework(other, "ELS"), "ELS-1", supplier=outsider_supplier),
                "jobs-created",
                1,
            )
        ],
    )
    users = {
        "provider_admin": make_user("ada", provider, Role.PROVIDER_ADMIN),
        "officer": make_user("olivia", provider, Role.PROVIDER_OFFICER),
        "auditor": make_user("audrey", provider, Role.AUDITOR),
        "member_viewer": make_user("mo", member, Role.MEMBER_VIEWER),
        "supplier_contributor": make_user("cara", supplier, Role.SUPPLIER_CONTRIBUTOR),
        "outsider": make_user("otto", outsider_supplier, Role.SUPPLIER_CONTRIBUTOR),
    }
    assert Membership.objects.count() == len(users)
    return Tokens({persona: make_token(user) for persona, user in users.items()})


def call_as_everyone(case, tokens: Tokens) -> None:
    """The same request with each persona's token; each answer must conform."""
    for persona in PERSONAS:
        response = case.call(headers=bearer(tokens.by_persona[persona]))
        try:
            case.validate_response(response, checks=CHECKS)
        except BaseException as failure:
            failure.add_note(f"Called with the token of: {persona}")
            raise


SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@schema.parametrize()
@SETTINGS
def test_every_answer_matches_the_schema(case, tokens):
    call_as_everyone(case, tokens)


@report_files.parametrize()
@SETTINGS
def test_every_report_file_answer_matches_the_schema(case, tokens):
    call_as_everyone(case, tokens)
