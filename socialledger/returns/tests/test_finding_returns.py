"""A provider officer finds returns by status and financial year, writing the year as they would
anywhere else in the product ("2023-24"); a year that cannot be read is said so, not ignored."""

import pytest

from socialledger.lib.periods import FinancialYear
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return


@pytest.fixture
def returns(supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 2)], year=FinancialYear(2022))
    make_return(supplier, [(contract, "jobs-created", 4)], status=Status.DRAFT)


def listed_periods(response) -> list[str]:
    return [r.period_label for r in response.context["page"].object_list]


@pytest.mark.parametrize("written", ["2023-24", "2023/24", "FY24", "2023"])
def test_it_filters_by_a_year_written_as_people_write_it(client, olivia_officer, returns, written):
    client.force_login(olivia_officer)
    response = client.get("/returns/", {"year": written})
    assert listed_periods(response) == ["2023-24"]


def test_it_says_when_the_year_cannot_be_read_instead_of_listing_everything(
    client, olivia_officer, returns
):
    client.force_login(olivia_officer)
    response = client.get("/returns/", {"year": "2023-25"})
    assert response.status_code == 200
    assert "second year must follow the first" in response.content.decode()
    assert response.context["year_error"]
