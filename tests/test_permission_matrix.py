"""The permission matrix: every route, every persona, the expected answer.

Routes are read from the URL configuration itself, so a new view without an entry here fails
`test_every_route_is_in_the_matrix`. Answers: 200 shown, 302 redirected (to sign in, or after a
change), 404 not found (also for what exists but is not yours), 405 wrong method.

The API's operations are read from its own OpenAPI schema, so a new operation without an entry
in API_MATRIX fails `test_every_api_operation_is_in_the_matrix`. There each persona calls with a
read-and-write token of its own membership (the anonymous visitor and the site operator, who
has no membership, with none): 401 no token, 403 a role that may not, 404 not yours, 409 not
allowed in the object's present state (so the role was let through).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from socialledger.accounts.actions import create_api_token, invite_person
from socialledger.accounts.models import Membership, Role
from socialledger.accounts.tests.factories import make_user
from socialledger.casestudies.actions import add_case_study, add_photo, record_consent
from socialledger.contracts.actions import name_subcontractor
from socialledger.contracts.tests.factories import make_contract, make_framework
from socialledger.jobs.models import Job
from socialledger.kpis.actions import add_kpi
from socialledger.lib.periods import FinancialYear
from socialledger.measures.tests.factories import make_derived_measure
from socialledger.organisations.tests.factories import make_member, make_provider, make_supplier
from socialledger.outcomes.tests.factories import make_example_crosswalk, make_example_model
from socialledger.returns.evidence import add_evidence
from socialledger.returns.models import Status, SupplyChainPart
from socialledger.returns.spend_lines import record_spend_line
from socialledger.returns.tests.factories import make_return, measure
from socialledger.rounds.actions import open_round
from socialledger.verification.actions import draw_sample

PERSONAS = [
    "anonymous",
    "other_provider_admin",
    "rival_contributor",
    "rival_member_viewer",
    "contributor",
    "member_viewer",
    "officer",
    "auditor",
    "provider_admin",
    "site_operator",
    "subcontractor",
]
SIGNED_IN = PERSONAS[1:]
STAFF = {"officer", "auditor", "provider_admin"}
READERS_OF_EVERYTHING = {"auditor", "provider_admin"}


@dataclass
class World:
    users: dict
    contract: object
    ret: object
    membership: object
    invitation: object
    token: str
    round: object
    evidence: object
    measure: object
    sample: object
    kpi: object
    api_token: object
    job: object
    subcontract: object
    part: object
    case_study: object
    photo: object
    consent: object
    spend_line: object


@pytest.fixture
def world(db) -> World:
    provider = make_provider("NWPP")
    framework = make_framework(provider, "DEC")
    member, rival_member = make_member(provider, "LFH"), make_member(provider, "WBC")
    supplier, rival_supplier = make_supplier(provider, "CRS"), make_supplier(provider, "BWC")
    contract = make_contract(framework, "DEC-001", member=member, supplier=supplier)
    rival_contract = make_contract(
        framework, "DEC-002", member=rival_member, supplier=rival_supplier
    )
    make_return(
        supplier, [(contract, "jobs-created", 2)], year=FinancialYear(2022), status=Status.SUBMITTED
    )
    ret = make_return(supplier, [(contract, "jobs-created", 4)], status=Status.DRAFT)
    make_return(rival_supplier, [(rival_contract, "jobs-created", 9)])
    round_ = open_round(
        provider,
        name="Annual return 2023-24",
        period_start=ret.period_start,
        period_end=ret.period_end,
        opens_on=date(2024, 4, 1),
        closes_on=date(2024, 6, 30),
        always_included=[framework],
        by=None,
    )
    ret.refresh_from_db()
    evidence = add_evidence(
        ret, by=None, upload=SimpleUploadedFile("payroll.pdf", b"%PDF-1.4 test")
    )
    other = make_provider("OTHER")
    other_framework = make_framework(other, "DEC")
    make_return(
        make_supplier(other, "CRS"),
        [(make_contract(other_framework, "DEC-001"), "jobs-created", 1)],
    )
    users = {
        "other_provider_admin": make_user("other-admin", other, Role.PROVIDER_ADMIN),
        "rival_contributor": make_user("rival", rival_supplier, Role.SUPPLIER_CONTRIBUTOR),
        "rival_member_viewer": make_user("rival-member", rival_member, Role.MEMBER_VIEWER),
        "contributor": make_user("cara", supplier, Role.SUPPLIER_CONTRIBUTOR),
        "member_viewer": make_user("mo", member, Role.MEMBER_VIEWER),
        "officer": make_user("olivia", provider, Role.PROVIDER_OFFICER),
        "auditor": make_user("audrey", provider, Role.AUDITOR),
        "provider_admin": make_user("ada", provider, Role.PROVIDER_ADMIN),
    }
    operator = make_user("root")
    operator.is_superuser = operator.is_staff = True
    operator.save()
    users["site_operator"] = operator
    target = make_user("victor", supplier, Role.SUPPLIER_VIEWER)
    tokens = []
    invitation = invite_person(
        supplier,
        email="new@example.org",
        role=Role.SUPPLIER_VIEWER,
        by=None,
        link_for=tokens.append,
    )
    _one_of_everything_the_admin_lists(provider, contract, target)
    kpi = add_kpi(contract, title="Local jobs", measures=[measure("jobs-created")], by=None)
    make_example_crosswalk(provider, make_example_model(provider))
    subcontract = name_subcontractor(
        contract, name="Mersey Groundworks Ltd", companies_house_number="01234567", by=None
    )
    users["subcontractor"] = make_user("sam", subcontract.subcontractor, Role.SUPPLIER_CONTRIBUTOR)
    case_study, photo, consent = _a_case_study(contract)
    make_derived_measure(provider)
    return World(
        users,
        contract,
        ret,
        Membership.objects.get(user=target),
        invitation,
        tokens[0],
        round_,
        evidence,
        measure("jobs-created"),
        draw_sample(provider, start_year=2022, size=1, by=None, seed=1),
        kpi,
        create_api_token(
            Membership.objects.get(user=users["contributor"]),
            name="x",
            can_write=True,
            by=users["contributor"],
        )[0],
        Job.objects.create(provider=provider, started_by=users["officer"], kind="figures"),
        subcontract,
        SupplyChainPart.objects.create(submission=ret, subcontract=subcontract),
        case_study,
        photo,
        consent,
        record_spend_line(
            ret,
            contract=contract,
            paid=subcontract.subcontractor,
            amount=Decimal(1200),
            reason="Groundworks",
            by=None,
        ),
    )


def _a_case_study(contract):
    """A draft case study on the contract, with one photo and one consent."""
    from io import BytesIO

    from PIL import Image

    image = BytesIO()
    Image.new("RGB", (40, 30), "teal").save(image, "JPEG")
    case_study = add_case_study(
        contract, financial_year=2023, title="Back to work", story="A new start.", by=None
    )
    photo = add_photo(
        case_study,
        upload=SimpleUploadedFile("site.jpg", image.getvalue(), content_type="image/jpeg"),
        alt_text="A site cabin",
        by=None,
    )
    consent = record_consent(
        case_study, person="Jo", given_by="Jo", given_on=date(2024, 5, 1), uses=["public"], by=None
    )
    return case_study, photo, consent


def _one_of_everything_the_admin_lists(provider, contract, person) -> None:
    """So every admin page that needs an object has one, and none is skipped."""
    from decimal import Decimal

    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from socialledger.contracts.actions import set_commitment
    from socialledger.measures.actions import set_opening_balance
    from socialledger.returns.tests.factories import measure

    set_commitment(
        provider,
        measure=measure("jobs-created"),
        financial_year=2023,
        quantity=Decimal(3),
        contract=contract,
        by=None,
    )
    from socialledger.contracts.actions import record_spend

    record_spend(contract, period_end=date(2024, 3, 31), amount=Decimal(500), by=None)
    set_opening_balance(
        provider,
        measure=measure("jobs-created"),
        quantity=Decimal(10),
        covers_until=2020,
        source="test",
        by=None,
    )
    from django.contrib.auth.models import Group

    from socialledger.valuation.actions import choose_value_set
    from socialledger.valuation.models import ValueSet

    TOTPDevice.objects.create(user=person, name="phone", confirmed=True)
    Group.objects.create(name="unused")
    choose_value_set(provider, ValueSet.objects.first(), by=None, reason="for the admin pages")
    seen = {
        "username": "someone",
        "ip_address": "127.0.0.1",
        "user_agent": "test",
        "http_accept": "*/*",
        "path_info": "/",
    }
    AccessAttempt.objects.create(get_data="", post_data="", failures_since_start=1, **seen)
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(locked_out=False, **seen)
    # One task queued in the database, for the task library's (read-only) admin pages.
    from django.test import override_settings

    from socialledger.jobs.tasks import send_due_reminders

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        send_due_reminders.enqueue()


def expect(default: int, **answers: int) -> dict[str, int]:
    return {persona: answers.get(persona, default) for persona in PERSONAS}


def signed_in(answer: int, **others: int) -> dict[str, int]:
    """Anyone signed in gets `answer`; the anonymous visitor is sent to sign in."""
    return expect(answer, anonymous=302, **others)


def only(personas: set[str], answer: int) -> dict[str, int]:
    """Only these personas get `answer`; other signed-in people get 404, and someone with no
    membership at all (the site operator) the page explaining that they act for nobody."""
    return signed_in(404, site_operator=200, **dict.fromkeys(personas, answer))


OWN_CONTRACT = {"contributor", "member_viewer", *STAFF}
CONTRIBUTOR = {"contributor"}
OFFICERS = {"officer", "provider_admin"}
STAFF_OF_ANY_PROVIDER = STAFF | {"other_provider_admin"}
OWN_RETURN = {"contributor", *STAFF}
# The other provider's admin is an admin too, of their own provider: its people, log and
# settings are theirs (what those pages show is tested for isolation elsewhere).
ADMINS = {"provider_admin", "other_provider_admin"}
READERS = READERS_OF_EVERYTHING | {"other_provider_admin"}

# route name -> (method, url builder, expected answer per persona)
MATRIX = {
    "dashboard": ("get", lambda w: reverse("dashboard"), signed_in(200)),
    # A firm with no figures of its own (Mersey, so far only a subcontractor) has no report yet.
    "report-download": (
        "get",
        lambda w: reverse("report-download", args=["txt"]),
        signed_in(200, subcontractor=404),
    ),
    # With no value set chosen, the page explains that nothing is monetised.
    "working": ("get", lambda w: reverse("working", args=["total"]), signed_in(200)),
    "report-entries": (
        "get",
        lambda w: reverse("report-entries") + "?year=2023-24&basis=reported&measure=jobs-created",
        signed_in(200),
    ),
    "report-compare": ("get", lambda w: reverse("report-compare"), signed_in(200)),
    # A figure's history at its short reference: the same access as the entries behind it.
    "figure-history": (
        "get",
        lambda w: reverse("figure-history", args=["2023-24", "jobs-created", "reported"]),
        signed_in(200),
    ),
    # Provider admins choose the weakest evidence counted towards a published headline.
    "report-minimum-strength": (
        "post",
        lambda w: reverse("report-minimum-strength"),
        only(ADMINS, 302),
    ),
    # Provider admins publish their own provider's report (the other provider's admin, theirs):
    # the page shows what will go out first, and publishes only when confirmed.
    "report-publish": (
        "get",
        lambda w: reverse("report-publish", args=["2023-24"]),
        only(ADMINS, 200),
    ),
    # Nothing is published in the test world, so there is nothing to take down.
    "report-unpublish": (
        "post",
        lambda w: reverse("report-unpublish", args=["2023-24"]),
        only(ADMINS, 404),
    ),
    # Public pages: 404 until published (see test_publishing.py for 200 once published).
    "public-reports": ("get", lambda w: reverse("public-reports", args=["NWPP"]), expect(404)),
    "public-report": (
        "get",
        lambda w: reverse("public-report", args=["NWPP", "2023-24"]),
        expect(404),
    ),
    "public-pdf": (
        "get",
        lambda w: reverse("public-pdf", args=["NWPP", "2023-24"]),
        expect(404),
    ),
    "public-json": (
        "get",
        lambda w: reverse("public-json", args=["NWPP", "2023-24"]),
        expect(404),
    ),
    # Health checks answer anyone: a load balancer signs in as nobody.
    "healthz": ("get", lambda w: reverse("healthz"), expect(200)),
    "readyz": ("get", lambda w: reverse("readyz"), expect(200)),
    "account": ("get", lambda w: reverse("account"), signed_in(200)),
    "api-tokens": ("get", lambda w: reverse("api-tokens"), signed_in(200)),
    # Only the token's owner may revoke it; anyone else is told it does not exist.
    "api-token-revoke": (
        "post",
        lambda w: reverse("api-token-revoke", args=[w.api_token.pk]),
        signed_in(404, contributor=302),
    ),
    "entries-export": ("get", lambda w: reverse("entries-export", args=["csv"]), signed_in(200)),
    # The API's schema and docs are public (they hold no data); its operations are in API_MATRIX.
    "api:openapi-json": ("get", lambda w: reverse("api:openapi-json"), expect(200)),
    "api:openapi-view": ("get", lambda w: reverse("api:openapi-view"), expect(200)),
    "api:api-root": ("get", lambda w: reverse("api:api-root"), expect(404)),
    "switch-organisation": ("post", lambda w: reverse("switch-organisation"), signed_in(404)),
    "two-factor-setup": ("get", lambda w: reverse("two-factor-setup"), signed_in(200)),
    "two-factor-verify": ("get", lambda w: reverse("two-factor-verify"), signed_in(200)),
    "two-factor-remove": ("post", lambda w: reverse("two-factor-remove"), signed_in(302)),
    "accept-invitation": (
        "get",
        lambda w: reverse("accept-invitation", args=[w.token]),
        expect(200),
    ),
    "people": ("get", lambda w: reverse("people"), only(READERS, 200)),
    "invite": ("get", lambda w: reverse("invite"), only(ADMINS, 200)),
    "change-role": (
        "post",
        lambda w: reverse("change-role", args=[w.membership.pk]),
        only({"provider_admin"}, 302),
    ),
    "set-membership-active": (
        "post",
        lambda w: reverse("set-membership-active", args=[w.membership.pk]),
        only({"provider_admin"}, 302),
    ),
    "revoke-invitation": (
        "post",
        lambda w: reverse("revoke-invitation", args=[w.invitation.pk]),
        only({"provider_admin"}, 302),
    ),
    "resend-invitation": (
        "post",
        lambda w: reverse("resend-invitation", args=[w.invitation.pk]),
        only({"provider_admin"}, 302),
    ),
    "provider-security": ("post", lambda w: reverse("provider-security"), only(ADMINS, 302)),
    # Set-up: provider officers and admins (the other provider's admin, of their own provider).
    "setup": ("get", lambda w: reverse("setup"), only(OFFICERS | {"other_provider_admin"}, 200)),
    "framework-new": (
        "get",
        lambda w: reverse("framework-new"),
        only(OFFICERS | {"other_provider_admin"}, 200),
    ),
    "setup-framework": (
        "get",
        lambda w: reverse("setup-framework", args=[w.contract.framework_id]),
        only(OFFICERS, 200),
    ),
    "framework-edit": (
        "get",
        lambda w: reverse("framework-edit", args=[w.contract.framework_id]),
        only(OFFICERS, 200),
    ),
    "lot-new": (
        "get",
        lambda w: reverse("lot-new", args=[w.contract.framework_id]),
        only(OFFICERS, 200),
    ),
    "setup-lot": (
        "get",
        lambda w: reverse("setup-lot", args=[w.contract.lot_id]),
        only(OFFICERS, 200),
    ),
    # No supplier chosen: the officer is sent back with a message; nobody else may appoint.
    "lot-appoint": (
        "post",
        lambda w: reverse("lot-appoint", args=[w.contract.lot_id]),
        only(OFFICERS, 302),
    ),
    # The supplier holds a contract under the lot: the officer is asked, and would be refused.
    "lot-remove-supplier": (
        "get",
        lambda w: reverse("lot-remove-supplier", args=[w.contract.lot_id, w.contract.supplier_id]),
        only(OFFICERS, 200),
    ),
    "setup-commitments": (
        "get",
        lambda w: reverse("setup-commitments"),
        only(OFFICERS | {"other_provider_admin"}, 200),
    ),
    "commitment-set": (
        "get",
        lambda w: reverse("commitment-set"),
        only(OFFICERS | {"other_provider_admin"}, 200),
    ),
    "commitment-edit": (
        "get",
        lambda w: reverse("commitment-edit", args=[w.contract.commitments.get().pk]),
        only(OFFICERS, 200),
    ),
    "commitment-remove": (
        "get",
        lambda w: reverse("commitment-remove", args=[w.contract.commitments.get().pk]),
        only(OFFICERS, 200),
    ),
    "organisation-new": (
        "get",
        lambda w: reverse("organisation-new", args=["supplier"]),
        only(OFFICERS | {"other_provider_admin"}, 200),
    ),
    "setup-organisation": (
        "get",
        lambda w: reverse("setup-organisation", args=[w.contract.supplier_id]),
        only(OFFICERS, 200),
    ),
    "contract-new": (
        "get",
        lambda w: reverse("contract-new"),
        only(OFFICERS | {"other_provider_admin"}, 200),
    ),
    "contract-edit": (
        "get",
        lambda w: reverse("contract-edit", args=[w.contract.pk]),
        only(OFFICERS, 200),
    ),
    "commitment-new": (
        "get",
        lambda w: reverse("commitment-new", args=[w.contract.pk]),
        only(OFFICERS, 200),
    ),
    "spend-new": ("get", lambda w: reverse("spend-new", args=[w.contract.pk]), only(OFFICERS, 200)),
    # Uploads and background jobs: officers start them; provider staff follow them.
    "jobs": ("get", lambda w: reverse("jobs"), signed_in(200)),
    "job-detail": ("get", lambda w: reverse("job-detail", args=[w.job.pk]), only(STAFF, 200)),
    # The test world's job has not run, so confirming it goes back to its page.
    "job-confirm": ("post", lambda w: reverse("job-confirm", args=[w.job.pk]), only(OFFICERS, 302)),
    "job-rebuild-summaries": (
        "post",
        lambda w: reverse("job-rebuild-summaries"),
        only(OFFICERS | {"other_provider_admin"}, 302),
    ),
    "contract-list": ("get", lambda w: reverse("contract-list"), signed_in(200)),
    "contract-detail": (
        "get",
        lambda w: reverse("contract-detail", args=[w.contract.pk]),
        only(OWN_CONTRACT, 200),
    ),
    # KPIs: officers keep the register (a post missing its fields is sent back with a message);
    # everyone who may see the contract reads it there and in the export.
    "kpi-add": ("post", lambda w: reverse("kpi-add", args=[w.contract.pk]), only(OFFICERS, 302)),
    "kpi-rate": (
        "post",
        lambda w: reverse("kpi-rate", args=[w.contract.pk, w.kpi.pk]),
        only(OFFICERS, 302),
    ),
    "kpi-due": ("get", lambda w: reverse("kpi-due"), only(STAFF_OF_ANY_PROVIDER, 200)),
    "kpi-export": ("get", lambda w: reverse("kpi-export", args=["csv"]), signed_in(200)),
    "return-list": ("get", lambda w: reverse("return-list"), signed_in(200)),
    "return-detail": (
        "get",
        lambda w: reverse("return-detail", args=[w.ret.pk]),
        only(OWN_RETURN, 200),
    ),
    "return-figures": (
        "post",
        lambda w: reverse("return-figures", args=[w.ret.pk, w.contract.pk, w.measure.pk]),
        only(CONTRIBUTOR, 302),
    ),
    "return-save-all": (
        "post",
        lambda w: reverse("return-save-all", args=[w.ret.pk]),
        only(CONTRIBUTOR, 302),
    ),
    "return-nil": (
        "post",
        lambda w: reverse("return-nil", args=[w.ret.pk, w.contract.pk]),
        only(CONTRIBUTOR, 302),
    ),
    "return-submit": (
        "post",
        lambda w: reverse("return-submit", args=[w.ret.pk]),
        only(CONTRIBUTOR, 302),
    ),
    "return-decide": (
        "post",
        lambda w: reverse("return-decide", args=[w.ret.pk, "query"]),
        only(OFFICERS, 302),
    ),
    # Officers mark a data-quality warning on a return's figure checked, with a reason.
    "warning-check": (
        "post",
        lambda w: reverse("warning-check", args=[w.ret.pk]),
        only(OFFICERS, 302),
    ),
    # A supplier's contributor records a figure the supplier published itself, on its return.
    "return-claim": (
        "post",
        lambda w: reverse("return-claim", args=[w.ret.pk]),
        only(CONTRIBUTOR, 302),
    ),
    # Officers record a figure claimed elsewhere for a report's scope and year (the other
    # provider's admin, for theirs).
    "claim-record": (
        "post",
        lambda w: reverse("claim-record"),
        only({*OFFICERS, "other_provider_admin"}, 302),
    ),
    "evidence-add": (
        "post",
        lambda w: reverse("evidence-add", args=[w.ret.pk]),
        only(CONTRIBUTOR, 302),
    ),
    "evidence-download": (
        "get",
        lambda w: reverse("evidence-download", args=[w.evidence.pk]),
        only(OWN_RETURN, 200),
    ),
    "evidence-grade": (
        "post",
        lambda w: reverse("evidence-grade", args=[w.evidence.pk]),
        only(OFFICERS, 302),
    ),
    "evidence-remove": (
        "post",
        lambda w: reverse("evidence-remove", args=[w.evidence.pk]),
        only(CONTRIBUTOR, 302),
    ),
    "return-workbook": (
        "get",
        lambda w: reverse("return-workbook", args=[w.ret.pk]),
        only(OWN_RETURN, 200),
    ),
    # No file posted: the contributor is told to choose one (400); nobody else may try.
    "return-workbook-upload": (
        "post",
        lambda w: reverse("return-workbook-upload", args=[w.ret.pk]),
        only(CONTRIBUTOR, 400),
    ),
    "round-list": ("get", lambda w: reverse("round-list"), only(STAFF_OF_ANY_PROVIDER, 200)),
    "round-new": (
        "get",
        lambda w: reverse("round-new"),
        only(OFFICERS | {"other_provider_admin"}, 200),
    ),
    "round-detail": ("get", lambda w: reverse("round-detail", args=[w.round.pk]), only(STAFF, 200)),
    "verification": ("get", lambda w: reverse("verification"), only(STAFF_OF_ANY_PROVIDER, 200)),
    # Year missing: the officer is sent back with a message; nobody else may draw.
    "sample-draw": (
        "post",
        lambda w: reverse("sample-draw"),
        only(OFFICERS | {"other_provider_admin"}, 302),
    ),
    "sample-detail": (
        "get",
        lambda w: reverse("sample-detail", args=[w.sample.pk]),
        only(STAFF, 200),
    ),
    "sample-check": (
        "post",
        lambda w: reverse("sample-check", args=[w.sample.items.first().pk]),
        only(OFFICERS, 302),
    ),
    "audit-log": ("get", lambda w: reverse("audit-log"), only(READERS, 200)),
    "audit-export": ("get", lambda w: reverse("audit-export"), only(READERS, 200)),
    "login": ("get", lambda w: reverse("login"), expect(302, anonymous=200)),
    "logout": ("post", lambda w: reverse("logout"), expect(302)),
    # Single sign-on is not set up in this world, so its two doors are not there; the whole
    # flow runs against a real OpenID provider in accounts/tests/test_single_sign_on.py.
    "sso-start": ("get", lambda w: reverse("sso-start"), expect(404)),
    "sso-callback": ("get", lambda w: reverse("sso-callback"), expect(404)),
    "password_change": ("get", lambda w: reverse("password_change"), signed_in(200)),
    "password_change_done": ("get", lambda w: reverse("password_change_done"), signed_in(200)),
    "password_reset": ("get", lambda w: reverse("password_reset"), expect(200)),
    "password_reset_done": ("get", lambda w: reverse("password_reset_done"), expect(200)),
    "password_reset_confirm": (
        "get",
        lambda w: reverse("password_reset_confirm", args=["MQ", "not-a-token"]),
        expect(200),
    ),
    "password_reset_complete": ("get", lambda w: reverse("password_reset_complete"), expect(200)),
    "accessibility": ("get", lambda w: reverse("accessibility"), expect(200)),
    # The supply chain: Sam of Mersey Groundworks, named on DEC-001 by its supplier, fills in
    # its part of the supplier's return and sends it; the supplier's contributor names firms,
    # invites their people and accepts or queries their parts. Nobody else reaches either side.
    "supply-chain": (
        "get",
        lambda w: reverse("supply-chain"),
        only({"contributor", "rival_contributor", "subcontractor"}, 200),
    ),
    "part-detail": (
        "get",
        lambda w: reverse("part-detail", args=[w.subcontract.pk, w.ret.pk]),
        only({"subcontractor"}, 200),
    ),
    # Nothing entered yet, so Sam is sent back and told there is nothing to send.
    "part-send": (
        "post",
        lambda w: reverse("part-send", args=[w.subcontract.pk, w.ret.pk]),
        only({"subcontractor"}, 302),
    ),
    # The part has not been sent, so Cara is sent back and told it cannot be accepted yet.
    "part-decide": (
        "post",
        lambda w: reverse("part-decide", args=[w.part.pk, "accept"]),
        only(CONTRIBUTOR, 302),
    ),
    # No name posted: sent back with a message. Sam may name a firm below Mersey on DEC-001.
    "subcontractor-new": (
        "post",
        lambda w: reverse("subcontractor-new", args=[w.contract.pk]),
        only({"contributor", "subcontractor"}, 302),
    ),
    "subcontractor-invite": (
        "post",
        lambda w: reverse("subcontractor-invite", args=[w.subcontract.pk]),
        only(CONTRIBUTOR, 302),
    ),
    # Case studies: whoever may see the contract reads them; its supplier's contributors and the
    # provider's officers write; only officers approve.
    "case-studies": ("get", lambda w: reverse("case-studies"), signed_in(200)),
    "case-study-new": (
        "get",
        lambda w: reverse("case-study-new"),
        only(
            {
                "contributor",
                "rival_contributor",
                "subcontractor",
                *OFFICERS,
                "other_provider_admin",
            },
            200,
        ),
    ),
    "case-study": (
        "get",
        lambda w: reverse("case-study", args=[w.case_study.pk]),
        only(OWN_CONTRACT, 200),
    ),
    "case-study-photo": (
        "get",
        lambda w: reverse("case-study-photo", args=[w.photo.pk]),
        only(OWN_CONTRACT, 200),
    ),
    # No file posted: sent back with a message.
    "case-study-photo-add": (
        "post",
        lambda w: reverse("case-study-photo-add", args=[w.case_study.pk]),
        only({"contributor", *OFFICERS}, 200),
    ),
    "case-study-consent-add": (
        "post",
        lambda w: reverse("case-study-consent-add", args=[w.case_study.pk]),
        only({"contributor", *OFFICERS}, 200),
    ),
    "case-study-consent-withdraw": (
        "post",
        lambda w: reverse("case-study-consent-withdraw", args=[w.consent.pk]),
        only({"contributor", *OFFICERS}, 302),
    ),
    "case-study-approve": (
        "post",
        lambda w: reverse("case-study-approve", args=[w.case_study.pk]),
        only(OFFICERS, 302),
    ),
    # Spend lines: the return's supplier contributor adds them (nothing posted: sent back with
    # a message) and takes them out.
    "spend-line-add": (
        "post",
        lambda w: reverse("spend-line-add", args=[w.ret.pk]),
        only(CONTRIBUTOR, 302),
    ),
    "spend-line-remove": (
        "post",
        lambda w: reverse("spend-line-remove", args=[w.ret.pk, w.spend_line.pk]),
        only(CONTRIBUTOR, 302),
    ),
    # Officers record a contract's carbon and a supplier's modern slavery assessment.
    "emissions-new": (
        "get",
        lambda w: reverse("emissions-new", args=[w.contract.pk]),
        only(OFFICERS, 200),
    ),
    "slavery-assessment": (
        "get",
        lambda w: reverse("slavery-assessment", args=[w.contract.supplier_id]),
        only(OFFICERS, 200),
    ),
    # Nothing is published in the test world: no public photo and no press pack yet.
    "public-case-study-photo": (
        "get",
        lambda w: reverse("public-case-study-photo", args=["NWPP", "2023-24", w.photo.pk]),
        expect(404),
    ),
    "press-pack": ("get", lambda w: reverse("press-pack", args=["2023-24"]), only(set(), 404)),
    "press-pack-download": (
        "get",
        lambda w: reverse("press-pack-download", args=["2023-24"]),
        only(set(), 404),
    ),
    "press-pack-image": (
        "get",
        lambda w: reverse("press-pack-image", args=["2023-24"]),
        only(set(), 404),
    ),
}


def route_names() -> set[str]:
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_route_is_in_the_matrix():
    product_routes = {
        name
        for name in route_names()
        if not name.startswith("admin:") and name not in api_operation_route_names()
    }
    assert product_routes == set(MATRIX), "add the new route to MATRIX with its expected answers"


def answer(client: Client, method: str, url: str) -> int:
    """The status of one request, with anything it changed rolled back."""
    with transaction.atomic():
        status = getattr(client, method)(url).status_code
        transaction.set_rollback(True)
    return status


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_each_persona_gets_the_expected_answer(world, route):
    method, build, expected = MATRIX[route]
    got = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        got[persona] = answer(client, method, build(world))
    assert got == expected


# --- The API ------------------------------------------------------------------------------------


def api_operation_route_names() -> set[str]:
    """The URL names ninja gives the API's operations (each checked in API_MATRIX instead)."""
    from socialledger.api import api

    return {
        f"api:{api.get_operation_url_name(operation, router)}"
        for router in [bound.template for bound in api._get_bound_routers()]
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    }


def api_operations() -> set[str]:
    """Every operation in the API's own OpenAPI schema, as "METHOD /path"."""
    from socialledger.api import api

    return {
        f"{method.upper()} {path}"
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }


def tokened(answer: int, **others: int) -> dict[str, int]:
    """Every persona with a token gets `answer`; no token (anonymous, site operator) is 401."""
    return expect(answer, anonymous=401, site_operator=401, **others)


def allowed(personas: dict[str, int], otherwise: int) -> dict[str, int]:
    """These personas get their answers; every other persona with a token `otherwise`."""
    return tokened(otherwise, **personas)


ANY_TOKEN = tokened(200)
CONTRIBUTOR_ONLY = {"contributor": 200, "rival_contributor": 404, "subcontractor": 404}
# A decision on a draft: officers are let through and told it is not the time (409); the other
# provider's admin may decide, but not on this provider's return.
DECIDE = allowed({"officer": 409, "provider_admin": 409, "other_provider_admin": 404}, 403)
# A subcontractor is not appointed on the framework's lots, so it does not see them.
SEES_FRAMEWORK = tokened(200, other_provider_admin=404, subcontractor=404)
# Reports of a firm with no figures of its own (Mersey, so far only a subcontractor) are not
# there yet.
HAS_A_REPORT = tokened(200, subcontractor=404)


def _contract_body(w: World) -> dict:
    lot = w.contract.lot
    return {
        "lot_id": lot.pk,
        "reference": "DEC-900",
        "title": "New",
        "member_id": w.contract.member_id,
        "supplier_id": w.contract.supplier_id,
        "value": "1000",
        "starts_on": "2024-04-01",
    }


def keeps_kpis(answer: int) -> dict[str, int]:
    """Provider admins and officers keep this contract's KPI register; the other provider's
    admin may, but cannot see this contract; no other role may."""
    return allowed({"officer": answer, "provider_admin": answer, "other_provider_admin": 404}, 403)


def _ocds_sample(w: World) -> dict:
    import json
    from pathlib import Path

    sample = Path(__file__).resolve().parent.parent / "docs" / "samples" / "ocds-framework.json"
    return json.loads(sample.read_text(encoding="utf-8"))


# Staff of any provider list their own provider's KPI ratings due; no other role may.
PROVIDER_STAFF_ONLY = allowed(dict.fromkeys(STAFF_OF_ANY_PROVIDER, 200), 403)

V1 = "/api/v1"
MODEL = "northshire-themes@2026-1"  # the example outcome model (outcomes/tests/factories.py)
# Officers and admins set up their own provider; the other provider's admin may set up theirs
# (a new framework or party is theirs) but cannot reach this provider's objects.
SETS_UP = allowed({"officer": 200, "provider_admin": 200, "other_provider_admin": 404}, 403)
CREATES = allowed({"officer": 201, "provider_admin": 201, "other_provider_admin": 201}, 403)
CREATES_HERE = allowed({"officer": 201, "provider_admin": 201, "other_provider_admin": 404}, 403)
SET_UP_MATRIX = {
    "POST /api/v1/frameworks": (
        lambda w: f"{V1}/frameworks",
        lambda w: {
            "reference": "NEW",
            "name": "New",
            "starts_on": "2024-04-01",
            "ends_on": "2028-03-31",
        },
        CREATES,
    ),
    "PATCH /api/v1/frameworks/{framework_id}": (
        lambda w: f"{V1}/frameworks/{w.contract.framework_id}",
        lambda w: {"name": "Renamed"},
        SETS_UP,
    ),
    "POST /api/v1/lots": (
        lambda w: f"{V1}/lots",
        lambda w: {"framework_id": w.contract.framework_id, "reference": "9", "name": "New"},
        CREATES_HERE,
    ),
    "PATCH /api/v1/lots/{lot_id}": (
        lambda w: f"{V1}/lots/{w.contract.lot_id}",
        lambda w: {"name": "Renamed"},
        SETS_UP,
    ),
    "POST /api/v1/lots/{lot_id}/suppliers": (
        lambda w: f"{V1}/lots/{w.contract.lot_id}/suppliers",
        lambda w: {"supplier_id": w.contract.supplier_id},
        SETS_UP,
    ),
    "POST /api/v1/organisations": (
        lambda w: f"{V1}/organisations",
        lambda w: {"kind": "supplier", "reference": "NEWCO", "name": "New Co"},
        CREATES,
    ),
    "PATCH /api/v1/organisations/{organisation_id}": (
        lambda w: f"{V1}/organisations/{w.contract.member_id}",
        lambda w: {"region": "North West"},
        SETS_UP,
    ),
    "PATCH /api/v1/contracts/{contract_id}": (
        lambda w: f"{V1}/contracts/{w.contract.pk}",
        lambda w: {"title": "Renamed"},
        SETS_UP,
    ),
    "GET /api/v1/contracts/{contract_id}/spend": (
        lambda w: f"{V1}/contracts/{w.contract.pk}/spend",
        None,
        allowed(dict.fromkeys(OWN_CONTRACT, 200), 404),
    ),
    "POST /api/v1/contracts/{contract_id}/spend": (
        lambda w: f"{V1}/contracts/{w.contract.pk}/spend",
        lambda w: {"period_end": "2024-06-30", "amount": "100"},
        SETS_UP,
    ),
    # A one-row file registering a supplier: the other provider's admin registers it in theirs.
    "POST /api/v1/imports/setup": (
        lambda w: f"{V1}/imports/setup?dry_run=true",
        lambda w: {"csv": "record,kind,reference,name\norganisation,supplier,NEWCO,New Co\n"},
        allowed({"officer": 200, "provider_admin": 200, "other_provider_admin": 200}, 403),
    ),
    # The supplier holds a contract under the lot, so officers are told why it stays (422).
    "DELETE /api/v1/lots/{lot_id}/suppliers/{supplier_id}": (
        lambda w: f"{V1}/lots/{w.contract.lot_id}/suppliers/{w.contract.supplier_id}",
        None,
        allowed({"officer": 422, "provider_admin": 422, "other_provider_admin": 404}, 403),
    ),
    "DELETE /api/v1/commitments/{commitment_id}": (
        lambda w: f"{V1}/commitments/{w.contract.commitments.get().pk}",
        None,
        SETS_UP,
    ),
    "POST /api/v1/commitments": (
        lambda w: f"{V1}/commitments",
        lambda w: {
            "measure": "jobs-created",
            "year": "2024-25",
            "quantity": "2",
            "contract_id": w.contract.pk,
        },
        SETS_UP,
    ),
}
# "METHOD /path" -> (url builder, body builder or None, expected answer per persona)
API_MATRIX = {
    "GET /api/v1/me": (lambda w: f"{V1}/me", None, ANY_TOKEN),
    "GET /api/v1/organisations": (lambda w: f"{V1}/organisations", None, ANY_TOKEN),
    "GET /api/v1/organisations/{organisation_id}": (
        lambda w: f"{V1}/organisations/{w.contract.member_id}",
        None,
        allowed(dict.fromkeys(["member_viewer", *STAFF], 200), 404),
    ),
    "GET /api/v1/frameworks": (lambda w: f"{V1}/frameworks", None, ANY_TOKEN),
    "GET /api/v1/frameworks/{framework_id}": (
        lambda w: f"{V1}/frameworks/{w.contract.framework_id}",
        None,
        SEES_FRAMEWORK,
    ),
    "GET /api/v1/lots": (lambda w: f"{V1}/lots", None, ANY_TOKEN),
    "GET /api/v1/lots/{lot_id}": (lambda w: f"{V1}/lots/{w.contract.lot_id}", None, SEES_FRAMEWORK),
    "GET /api/v1/contracts": (lambda w: f"{V1}/contracts", None, ANY_TOKEN),
    "GET /api/v1/contracts/{contract_id}": (
        lambda w: f"{V1}/contracts/{w.contract.pk}",
        None,
        allowed(dict.fromkeys(OWN_CONTRACT, 200), 404),
    ),
    # Officers and admins let contracts; the other provider's admin cannot see this lot.
    "POST /api/v1/contracts": (
        lambda w: f"{V1}/contracts",
        _contract_body,
        allowed({"officer": 201, "provider_admin": 201, "other_provider_admin": 404}, 403),
    ),
    "GET /api/v1/commitments": (lambda w: f"{V1}/commitments", None, ANY_TOKEN),
    **SET_UP_MATRIX,
    "GET /api/v1/contracts/{contract_id}/kpis": (
        lambda w: f"{V1}/contracts/{w.contract.pk}/kpis",
        None,
        allowed(dict.fromkeys(OWN_CONTRACT, 200), 404),
    ),
    "POST /api/v1/contracts/{contract_id}/kpis": (
        lambda w: f"{V1}/contracts/{w.contract.pk}/kpis",
        lambda w: {"title": "Apprentices", "measures": ["apprenticeships-created"]},
        keeps_kpis(201),
    ),
    "POST /api/v1/contracts/{contract_id}/kpis/{kpi_id}/ratings": (
        lambda w: f"{V1}/contracts/{w.contract.pk}/kpis/{w.kpi.pk}/ratings",
        lambda w: {
            "rating": "good",
            "period_start": "2021-04-01",
            "period_end": "2022-03-31",
            "justification": "On plan",
        },
        keeps_kpis(201),
    ),
    # The world's KPI has no rating yet, so it may be taken out.
    "DELETE /api/v1/contracts/{contract_id}/kpis/{kpi_id}": (
        lambda w: f"{V1}/contracts/{w.contract.pk}/kpis/{w.kpi.pk}",
        None,
        keeps_kpis(200),
    ),
    "GET /api/v1/kpis/due": (lambda w: f"{V1}/kpis/due", None, PROVIDER_STAFF_ONLY),
    "GET /api/v1/kpis/contracts-short": (
        lambda w: f"{V1}/kpis/contracts-short",
        None,
        PROVIDER_STAFF_ONLY,
    ),
    "GET /api/v1/exports/kpi-ratings": (
        lambda w: f"{V1}/exports/kpi-ratings?format=json",
        None,
        ANY_TOKEN,
    ),
    "GET /api/v1/measures": (lambda w: f"{V1}/measures", None, ANY_TOKEN),
    "GET /api/v1/measures/{code}": (lambda w: f"{V1}/measures/jobs-created", None, ANY_TOKEN),
    # Provider admins version their own derived measures' formulas (the library's change only
    # through the library file); the other provider's admin has no such measure.
    "POST /api/v1/measures/{code}/formula": (
        lambda w: f"{V1}/measures/all-jobs/formula",
        lambda w: {
            "formula": "jobs-created + jobs-sustained",
            "reason": "Sustained too",
            "first_year": "2024-25",
        },
        allowed({"provider_admin": 201, "other_provider_admin": 404}, 403),
    ),
    "GET /api/v1/returns": (lambda w: f"{V1}/returns", None, ANY_TOKEN),
    # A contributor opens its own supplier's return, an officer any supplier's of the provider.
    "POST /api/v1/returns": (
        lambda w: f"{V1}/returns",
        lambda w: {"year": "2026-27", "supplier_id": w.contract.supplier_id},
        allowed(
            {
                "contributor": 201,
                "officer": 201,
                "provider_admin": 201,
                "rival_contributor": 404,
                "subcontractor": 404,
                "other_provider_admin": 404,
            },
            403,
        ),
    ),
    "GET /api/v1/returns/{return_id}": (
        lambda w: f"{V1}/returns/{w.ret.pk}",
        None,
        allowed(dict.fromkeys(OWN_RETURN, 200), 404),
    ),
    "GET /api/v1/returns/{return_id}/entries": (
        lambda w: f"{V1}/returns/{w.ret.pk}/entries",
        None,
        allowed(dict.fromkeys(OWN_RETURN, 200), 404),
    ),
    "POST /api/v1/returns/{return_id}/entries": (
        lambda w: f"{V1}/returns/{w.ret.pk}/entries",
        lambda w: {
            "entries": [{"contract_id": w.contract.pk, "measure": "jobs-created", "quantity": 5}]
        },
        allowed(CONTRIBUTOR_ONLY, 403),
    ),
    "DELETE /api/v1/returns/{return_id}/entries/{entry_id}": (
        lambda w: f"{V1}/returns/{w.ret.pk}/entries/{w.ret.entries.first().pk}",
        None,
        allowed(CONTRIBUTOR_ONLY, 403),
    ),
    "POST /api/v1/returns/{return_id}/nil": (
        lambda w: f"{V1}/returns/{w.ret.pk}/nil",
        lambda w: {"contract_id": w.contract.pk, "nil": False},
        allowed(CONTRIBUTOR_ONLY, 403),
    ),
    "POST /api/v1/returns/{return_id}/submit": (
        lambda w: f"{V1}/returns/{w.ret.pk}/submit",
        lambda w: {},
        allowed(CONTRIBUTOR_ONLY, 403),
    ),
    **{
        f"POST /api/v1/returns/{{return_id}}/{decision}": (
            lambda w, decision=decision: f"{V1}/returns/{w.ret.pk}/{decision}",
            lambda w: {"note": "Why"},
            DECIDE,
        )
        for decision in ("query", "verify", "reject", "reopen")
    },
    "GET /api/v1/reports/annual": (lambda w: f"{V1}/reports/annual", None, HAS_A_REPORT),
    "GET /api/v1/reports/by-outcome": (
        lambda w: f"{V1}/reports/by-outcome?model={MODEL}&year=2023-24",
        None,
        tokened(200, other_provider_admin=404),
    ),
    "GET /api/v1/reports/working/{code}": (
        lambda w: f"{V1}/reports/working/total",
        None,
        HAS_A_REPORT,
    ),
    "GET /api/v1/exports/report": (
        lambda w: f"{V1}/exports/report?format=txt",
        None,
        HAS_A_REPORT,
    ),
    "GET /api/v1/exports/entries": (
        lambda w: f"{V1}/exports/entries?format=csv",
        None,
        ANY_TOKEN,
    ),
    # Provider admins import into their own provider (the other provider's admin into theirs).
    "POST /api/v1/imports/ocds": (
        lambda w: f"{V1}/imports/ocds?create_missing=true",
        _ocds_sample,
        allowed({"provider_admin": 200, "other_provider_admin": 200}, 403),
    ),
    "GET /api/v1/exports/ocds": (lambda w: f"{V1}/exports/ocds", None, ANY_TOKEN),
    # Outcome models: anyone with a token lists their provider's; officers and admins map the
    # provider's measures to a model's outcomes and record the model a contract was procured
    # under; the other provider's admin cannot reach this provider's model or contract.
    "GET /api/v1/outcome-models": (lambda w: f"{V1}/outcome-models", None, ANY_TOKEN),
    "GET /api/v1/outcome-models/{label}/mappings": (
        lambda w: f"{V1}/outcome-models/{MODEL}/mappings",
        None,
        tokened(200, other_provider_admin=404),
    ),
    "PUT /api/v1/outcome-models/{label}/mappings": (
        lambda w: f"{V1}/outcome-models/{MODEL}/mappings",
        lambda w: {"measure": "jobs-created", "outcome": "N1.1", "note": "Direct"},
        SETS_UP,
    ),
    "DELETE /api/v1/outcome-models/{label}/mappings": (
        lambda w: f"{V1}/outcome-models/{MODEL}/mappings?measure=jobs-created&outcome=N1.1",
        None,
        SETS_UP,
    ),
    "PUT /api/v1/contracts/{contract_id}/outcome-model": (
        lambda w: f"{V1}/contracts/{w.contract.pk}/outcome-model",
        lambda w: {"model": MODEL},
        SETS_UP,
    ),
    "GET /api/v1/exports/ocds/performance-notices": (
        lambda w: f"{V1}/exports/ocds/performance-notices",
        None,
        ANY_TOKEN,
    ),
}


def test_every_api_operation_is_in_the_matrix():
    assert api_operations() == set(API_MATRIX), "add the new operation to API_MATRIX"


def api_answer(secret: str | None, method: str, url: str, body: dict | None) -> int:
    """The status of one API call, with anything it changed rolled back."""
    import json

    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    client = Client()
    with transaction.atomic():
        if body is None:
            status = getattr(client, method)(url, headers=headers).status_code
        else:
            status = getattr(client, method)(
                url, json.dumps(body), content_type="application/json", headers=headers
            ).status_code
        transaction.set_rollback(True)
    return status


@pytest.mark.parametrize("operation", sorted(API_MATRIX))
def test_each_persona_gets_the_expected_api_answer(world, operation):
    method, _path = operation.split(" ", 1)
    build, body, expected = API_MATRIX[operation]
    got = {}
    for persona in PERSONAS:
        user = world.users.get(persona)
        membership = Membership.objects.filter(user=user).first() if user else None
        secret = (
            create_api_token(membership, name="matrix", can_write=True, by=user)[1]
            if membership
            else None
        )
        got[persona] = api_answer(secret, method.lower(), build(world), body and body(world))
    assert got == expected


ADMIN_ROUTES = sorted(name for name in route_names() if name.startswith("admin:"))
READ_ONLY_IN_ADMIN = {
    "organisations.organisation",
    "contracts.framework",
    "contracts.contract",
    "contracts.commitment",
    "contracts.spend",
    "accounts.membership",
    "returns.return",
    "returns.entry",
    "audit.auditevent",
    "valuation.valueset",
    "valuation.valuesetchoice",
    "django_tasks_database.dbtaskresult",
}


def admin_url(name: str, world: World) -> str | None:
    """A URL for an admin route, with an object of the route's model where it needs one."""
    short = name.removeprefix("admin:")
    if short == "app_list":
        return reverse(name, args=["organisations"])
    if short == "view_on_site":
        from django.contrib.contenttypes.models import ContentType

        organisation = world.contract.member
        return reverse(
            name, args=[ContentType.objects.get_for_model(organisation).pk, organisation.pk]
        )
    model = _model_of(short)
    try:
        return reverse(name)
    except NoReverseMatch:
        obj = model._default_manager.first() if model else None
        return reverse(name, args=[obj.pk]) if obj else None


def _model_of(short: str):
    for model in admin.site._registry:
        if short.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def operator_expects(name: str) -> int:
    """What a site operator (superuser) gets: the page, or 403 where the admin forbids it."""
    short = name.removeprefix("admin:")
    # view_on_site: our models have no public page of their own, so there is nothing to show.
    special = {"logout": 405, "login": 404, "autocomplete": 403, "view_on_site": 404}
    if short in special:
        return special[short]
    model = _model_of(short)
    label = model._meta.label_lower if model else ""
    if label in READ_ONLY_IN_ADMIN and short.endswith(("_add", "_delete")):
        return 403
    # django-axes records sign-in attempts itself; an operator may only delete them (to unlock).
    if label.startswith("axes.") and short.endswith("_add"):
        return 403
    return 200


@pytest.mark.parametrize("route", ADMIN_ROUTES)
def test_the_admin_is_only_for_site_operators(world, route):
    url = admin_url(route, world)
    assert url is not None, f"give the test world an object for {route}"
    for persona in SIGNED_IN:
        if persona == "site_operator":
            continue
        client = Client()
        client.force_login(world.users[persona])
        assert answer(client, "get", url) in {302, 404}, persona
    operator = Client()
    operator.force_login(world.users["site_operator"])
    assert answer(operator, "get", url) == operator_expects(route)
    assert answer(Client(), "get", url) == 302
