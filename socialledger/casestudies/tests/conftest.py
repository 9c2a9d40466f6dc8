"""The people and stories the case study tests speak of.

Cara (contributor at Calder Retrofit Services, DEC-001) writes the story of Priya, a retrofit
apprentice on DEC-001; Olivia (officer) approves it. Sam, a contributor at Mersey Groundworks,
holds DEC-002 as a rival supplier; Rhea views for Ashby Housing, the member on DEC-002. Neither
may see Cara's story.
"""

from __future__ import annotations

from datetime import date

import pytest

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.casestudies.actions import add_case_study, add_photo, record_consent
from socialledger.casestudies.tests.helpers import jpeg_with_exif, upload
from socialledger.contracts.tests.factories import make_contract
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.tests.factories import make_member, make_supplier
from socialledger.returns.tests.factories import make_return, measure

Y2023 = FinancialYear(2023)
GIVEN = date(2024, 2, 1)


@pytest.fixture(autouse=True)
def photos_in_a_folder_of_their_own(settings, tmp_path):
    """Each test's photos go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def rival_contract(framework, provider):
    mersey = make_supplier(provider, "MGW", "Mersey Groundworks")
    ashby = make_member(provider, "ASH", "Ashby Housing")
    return make_contract(framework, "DEC-002", member=ashby, supplier=mersey, value="500000")


@pytest.fixture
def sam_rival_supplier(rival_contract):
    return make_user("sam", rival_contract.supplier, Role.SUPPLIER_CONTRIBUTOR)


@pytest.fixture
def rhea_rival_member(rival_contract):
    return make_user("rhea", rival_contract.member, Role.MEMBER_VIEWER)


@pytest.fixture
def ada_admin(provider):
    return make_user("ada", provider, Role.PROVIDER_ADMIN)


@pytest.fixture
def story(contract, cara_contributor):
    """Cara's draft: Priya's apprenticeship, with a photo and no consent yet."""
    case_study = add_case_study(
        contract,
        financial_year=2023,
        title="Priya's first year as a retrofit apprentice",
        story="Priya joined the Calder crew fitting loft insulation across Larkfield's homes.",
        quote="I never thought I'd be teaching my neighbours about heat loss.",
        quoted="Priya, apprentice",
        measures=[measure("apprenticeships-created"), measure("jobs-created")],
        by=cara_contributor,
    )
    add_photo(
        case_study,
        upload=upload(jpeg_with_exif()),
        alt_text="A drawing of an apprentice holding a roll of insulation",
        by=cara_contributor,
    )
    return case_study


def consent_of_priya(case_study, by, *, until=None, uses=("internal", "report", "public", "press")):
    return record_consent(
        case_study,
        person="Priya Shah",
        given_by="Priya Shah",
        given_on=GIVEN,
        until=until,
        uses=list(uses),
        by=by,
    )


@pytest.fixture
def published(provider, supplier, contract, olivia_officer):
    """Northway's 2023-24 report, published: 24 jobs and 7 apprenticeships on DEC-001."""
    from socialledger.reports.actions import publish_report

    figures = [(contract, "jobs-created", 24), (contract, "apprenticeships-created", 7)]
    make_return(supplier, figures)
    return publish_report(provider, Y2023, by=olivia_officer)
