"""One instance, several providers: none of them ever sees another's data."""

import pytest
from django.http import Http404

from socialledger.accounts.access import (
    get_contract_for_user,
    get_return_for_user,
    visible_contracts,
)
from socialledger.accounts.models import Membership, Role
from socialledger.accounts.tests.factories import make_user
from socialledger.contracts.tests.factories import make_contract, make_framework
from socialledger.imports.tests.helpers import csv_text, import_text, problems_of
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_member, make_supplier
from socialledger.reports.queries import Scope, annual_report, scope_from_text
from socialledger.returns.tests.factories import make_return


@pytest.fixture
def twin(other_provider):
    """Another provider with a framework, member, supplier and contract of the same references."""
    framework = make_framework(other_provider, "DEC")
    member = make_member(other_provider, "LFH")
    supplier = make_supplier(other_provider, "CRS")
    contract = make_contract(framework, "DEC-001", member=member, supplier=supplier)
    make_return(supplier, [(contract, "jobs-created", 1000)])
    return contract


def test_a_providers_report_never_counts_another_providers_entries(
    provider, supplier, contract, twin
):
    make_return(supplier, [(contract, "jobs-created", 5)])
    assert (
        annual_report(Scope(provider), FinancialYear(2023)).measure("jobs-created").headline.value
        == 5
    )
    assert (
        annual_report(Scope(twin.framework.provider), FinancialYear(2023))
        .measure("jobs-created")
        .headline.value
        == 1000
    )


def test_an_import_only_matches_the_importing_providers_records(provider, contract, twin):
    import_text(provider, csv_text("DEC,DEC-001,CRS,LFH,jobs-created,2023-24,5"))
    assert twin.entries.get().quantity == 1000
    assert contract.entries.get().quantity == 5


def test_an_import_cannot_reach_another_providers_framework(
    other_provider, provider, contract, twin
):
    make_framework(provider, "ONLYOURS")
    problems = problems_of(
        other_provider, csv_text("ONLYOURS,DEC-001,CRS,LFH,jobs-created,2023-24,5")
    )
    assert problems[0].column == "framework"


def test_a_scope_cannot_name_another_providers_organisation(provider, twin):
    make_supplier(twin.framework.provider, "ELSEWHERE")
    with pytest.raises(ValueError, match="has no supplier"):
        scope_from_text(provider, "supplier:ELSEWHERE")


def test_an_outsider_gets_404_for_a_contract_or_return_of_another_provider(
    contract, supplier, otto_outsider
):
    ret = make_return(supplier, [(contract, "jobs-created", 5)])
    membership = Membership.objects.get(user=otto_outsider)
    with pytest.raises(Http404):
        get_contract_for_user(membership, contract.pk)
    with pytest.raises(Http404):
        get_return_for_user(membership, ret.pk)


def test_provider_staff_see_all_their_contracts_and_members_only_their_own(
    provider, framework, contract, olivia_officer, mo_member_viewer
):
    theirs = make_contract(framework, "DEC-002", member=make_member(provider, "WBC"))
    officer = Membership.objects.get(user=olivia_officer)
    viewer = Membership.objects.get(user=mo_member_viewer)
    assert set(visible_contracts(officer)) == {contract, theirs}
    assert list(visible_contracts(viewer)) == [contract]
    with pytest.raises(Http404):
        get_contract_for_user(viewer, theirs.pk)


def test_a_membership_role_must_fit_the_organisation(supplier):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="supplier role must be"):
        make_user("eve", supplier, Role.PROVIDER_ADMIN)
