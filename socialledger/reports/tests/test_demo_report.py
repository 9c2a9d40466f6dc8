"""The demo provider's 2023-24 report gives every figure the provider published, with its change."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command

from socialledger.demo.builder import build_demo
from socialledger.lib.periods import FinancialYear
from socialledger.reports.narrative import narrative
from socialledger.reports.queries import Scope, annual_report

# The published figures (issue 2's table): measure -> (2021-22, 2022-23, 2023-24);
# None = not published for that year.
PUBLISHED = {
    "jobs-created": (214, 496, 356),
    "jobs-sustained": (554, 857, 1318),
    "apprenticeships-created": (68, 90, 114),
    "apprenticeships-sustained": (40, 61, 76),
    "training-accredited": (None, 245, 583),
    "training-non-accredited": (None, 837, 1418),
    "work-experience": (None, 275, 296),
    "careers-events": (None, 1416, 3668),
    "volunteering-days": (None, 582, 815),
    "donations": (None, 381000, 803741),
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        provider = build_demo()
        yield provider
        from django.core.management import call_command as run

        run("flush", interactive=False, verbosity=0)
        from socialledger.measures.actions import sync_measure_library

        sync_measure_library()


def report_for(provider, start_year):
    return annual_report(Scope(provider), FinancialYear(start_year))


@pytest.mark.django_db
@pytest.mark.parametrize("code", PUBLISHED)
@pytest.mark.parametrize("index", [0, 1, 2])
def test_each_published_figure_is_the_verified_total(demo, code, index):
    expected = PUBLISHED[code][index]
    line = report_for(demo, 2021 + index).measure(code)
    if expected is None:
        assert not line.current.verified.recorded
    else:
        assert line.current.verified.value == D(expected)
        assert line.current.reported.value == D(expected)


@pytest.mark.django_db
def test_jobs_created_in_2022_23_split_into_full_and_part_time(demo):
    hours = next(
        b
        for b in report_for(demo, 2022).measure("jobs-created").breakdowns
        if b.dimension == "hours"
    )
    assert {row.label: row.current for row in hours.rows if row.current} == {
        "Full-time": 442,
        "Part-time": 54,
    }


@pytest.mark.django_db
def test_the_derived_totals_are_their_components(demo):
    report = report_for(demo, 2023)
    assert report.measure("employment-outcomes").headline.value == 1674  # 356 + 1,318
    assert (
        report.measure("employment-outcomes").previous_headline.value == 1353
    )  # as restated in 2024
    assert report.measure("training-people").headline.value == 2001  # "more than 2,000"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("jobs-created", "-28%"),
        ("jobs-sustained", "+54%"),
        ("employment-outcomes", "+24%"),
        ("apprenticeships-created", "+27%"),
        ("apprenticeships-sustained", "+25%"),
        ("work-experience", "+7.6%"),
        ("donations", "+111%"),
    ],
)
def test_each_change_on_the_year_before_is_shown_half_up(demo, code, label):
    assert report_for(demo, 2023).measure(code).change.percent_label == label


@pytest.mark.django_db
def test_the_narrative_states_rises_and_falls_alike(demo):
    sentences = narrative(report_for(demo, 2023))
    assert "114 apprenticeships were created in 2023-24, up 27% from 90 in 2022-23." in sentences
    assert "356 jobs were created in 2023-24, down 28% from 496 in 2022-23." in sentences
    assert (
        "£803,741 was donated in money and materials in 2023-24, up 111% from £381,000 in 2022-23."
        in sentences
    )
    assert len(sentences) == 12


@pytest.mark.django_db
def test_a_year_with_no_figure_before_it_says_so(demo):
    sentences = narrative(report_for(demo, 2022))
    assert (
        "245 people took part in accredited training in 2022-23; "
        "there is no figure on record for 2021-22 to compare with."
    ) in sentences


@pytest.mark.django_db
def test_cumulative_employment_outcomes_include_the_labelled_opening_balance(demo):
    cumulative = report_for(demo, 2023).measure("employment-outcomes").cumulative
    assert (
        cumulative.total,
        cumulative.opening_balance,
        cumulative.opening_covers_until.label,
    ) == (13550, 9755, "2020-21")


@pytest.mark.django_db
def test_the_social_impact_published_before_is_an_opening_balance_not_a_computed_figure(demo):
    opening = report_for(demo, 2023).social_impact_opening
    assert (opening.amount, opening.covers_until.label) == (200_000_000, "2023-24")


@pytest.mark.django_db
def test_commitments_are_shown_beside_delivery_on_the_same_contracts(demo):
    commitments = report_for(demo, 2023).measure("apprenticeships-created").commitments
    assert commitments.on_contracts == D("49.3")  # 1 per £1m on £49.3m of contracts
    assert commitments.contracts_committed == 6
    assert commitments.set_for_scope == 120


@pytest.mark.django_db
def test_the_2024_25_round_in_progress_is_reported_but_not_verified(demo):
    line = report_for(demo, 2024).measure("jobs-sustained")
    assert (line.current.reported.value, line.current.verified.value) == (84, 0)
    draft_only = report_for(demo, 2024).measure("jobs-created")
    assert not draft_only.current.reported.recorded  # Calder's draft counts nowhere yet


@pytest.mark.django_db
def test_socialledger_demo_prints_the_report_without_serving(demo, capsys):
    call_command("demo", "--no-serve")
    out = capsys.readouterr().out
    assert "The demo provider is already loaded" in out
    for expected in [
        "356",
        "1,318",
        "1,674",
        "114",
        "76",
        "583",
        "1,418",
        "2,001",
        "296",
        "3,668",
        "815",
        "£803,741",
        "-28%",
        "+27%",
        "13,550",
        "£200,000,000",
    ]:
        assert expected in out
