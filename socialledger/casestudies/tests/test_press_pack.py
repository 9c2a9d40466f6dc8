"""The press pack of a published year: the press-release text with the approved case studies
beside the figures they illustrate, a headline figures image (PNG, with alt text) and the charts,
on a page and in one ZIP. Every number in it is the published report's figure, even after the
ledger moves on; a story whose consent is withdrawn leaves the pack at once."""

import io
import json
import re
import zipfile

import pytest
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from socialledger.casestudies.actions import approve_case_study, withdraw_consent
from socialledger.casestudies.press import press_pack, press_text
from socialledger.casestudies.tests.conftest import Y2023, consent_of_priya
from socialledger.lib.numbers import format_percent, format_quantity
from socialledger.lib.periods import FinancialYear
from socialledger.reports.actions import publish_report
from socialledger.reports.queries import Scope, annual_report
from socialledger.returns.tests.factories import make_return

PAGE = "/reports/2023-24/press/"
ZIP = "/reports/2023-24/press.zip"
IMAGE = "/reports/2023-24/press/headline.png"

# A number as the press text writes it: "24", "1,250", "£1,250.50", "20%", "12.5".
NUMBER = re.compile(r"£?\d[\d,]*(?:\.\d+)?%?")
# Years and dates are not figures: "2023-24", "7 December 2026".
NOT_FIGURES = re.compile(r"\b\d{4}-\d{2}\b|\b\d{1,2} [A-Z][a-z]+ \d{4}\b")


@pytest.fixture
def year_published(provider, supplier, contract, olivia_officer):
    """Two years on DEC-001 (20 jobs and 5 apprenticeships, then 24 and 7 and £1,250.50 of
    donations), and 2023-24 published."""
    make_return(
        supplier,
        [(contract, "jobs-created", 20), (contract, "apprenticeships-created", 5)],
        year=FinancialYear(2022),
    )
    make_return(
        supplier,
        [
            (contract, "jobs-created", 24),
            (contract, "apprenticeships-created", 7),
            (contract, "donations", "1250.50"),
        ],
    )
    report = annual_report(Scope(provider), Y2023)
    return publish_report(provider, Y2023, by=olivia_officer), report


@pytest.fixture
def with_story(year_published, story, cara_contributor, olivia_officer):
    consent_of_priya(story, cara_contributor)
    approve_case_study(story, by=olivia_officer)
    return year_published


@pytest.fixture
def olivia(client, olivia_officer):
    client.force_login(olivia_officer)
    return client


def figures_said(line) -> set[str]:
    """Every way the report writes a figure of one measure: this year's and last year's, the
    change between them and its parts by strength."""

    def amount(value):
        return format_quantity(value, money=line.is_money)

    said = {amount(line.headline.value), amount(line.previous_headline.value)}
    if line.headline_change and line.headline_change.percent is not None:
        said.add(format_percent(line.headline_change.percent))
    return said


def report_figures(report) -> set[str]:
    said = set().union(*(figures_said(line) for line in report.measures))
    for strength in report.strengths:
        said |= {
            format_quantity(part.figure.value, money=strength.is_money) for part in strength.parts
        }
    return said


# A small number withheld is written "fewer than N", N the published report's threshold.
FEWER_THAN = re.compile(r"fewer than (\d+)")


def numbers_in(text: str, threshold: int | None = None) -> list[str]:
    """The figures a text gives; "fewer than N" must name the report's threshold."""
    assert {int(n) for n in FEWER_THAN.findall(text)} <= {threshold}
    return NUMBER.findall(NOT_FIGURES.sub(" ", FEWER_THAN.sub(" ", text)))


def test_every_number_in_the_press_text_is_the_published_reports_figure(provider, with_story):
    published, report = with_story
    text = press_text(press_pack(published, timezone.localdate()))
    release = text.split("The people behind the figures")[0]
    found = numbers_in(release)
    assert {"24", "7", "£1,250.50", "20%", "40%"} <= set(found)
    assert set(found) <= report_figures(report)


def test_each_figures_strength_line_gives_that_measures_figure_and_parts(with_story):
    published, report = with_story
    text = press_text(press_pack(published, timezone.localdate()))
    for line in report.measures:
        if not line.headline.recorded:
            continue
        total = format_quantity(line.headline.value, money=line.is_money)
        assert f"- {line.name}: {total} (" in text
    assert "- Jobs created: 24 (24 on the supplier's statement)." in text


def test_the_numbers_stay_as_published_when_the_ledger_moves_on(provider, framework, with_story):
    from socialledger.contracts.tests.factories import make_contract
    from socialledger.organisations.tests.factories import make_supplier

    published, report = with_story
    late = make_supplier(provider, "LATE")
    make_return(late, [(make_contract(framework, "DEC-009", supplier=late), "jobs-created", 10)])
    assert annual_report(Scope(provider), Y2023).measure("jobs-created").headline.value == 34
    text = press_text(press_pack(published, timezone.localdate()))
    assert "34" not in numbers_in(text)
    assert set(numbers_in(text.split("The people behind the figures")[0])) <= report_figures(report)


def test_the_page_shows_the_release_the_image_with_alt_text_and_the_stories(olivia, with_story):
    page = olivia.get(PAGE).content.decode()
    assert "24 jobs were created in 2023-24" in page
    assert f'src="{IMAGE}"' in page
    alt = re.search(r'<img src="/reports/2023-24/press/headline.png" alt="([^"]+)"', page)[1]
    assert alt.startswith("Northway Procurement, social value in 2023-24: 24 jobs created")
    assert escape("Priya's first year as a retrofit apprentice") in page
    assert ZIP in page


def test_a_story_is_placed_beside_the_figures_it_illustrates(with_story):
    published, _ = with_story
    pack = press_pack(published, timezone.localdate())
    beside = {f.code: [s.title for s in f.case_studies] for f in pack.figures}
    assert beside["jobs-created"] == ["Priya's first year as a retrofit apprentice"]
    assert beside["apprenticeships-created"] == ["Priya's first year as a retrofit apprentice"]
    assert beside["donations"] == []


def test_the_headline_image_is_a_png_for_social_media(olivia, with_story):
    answer = olivia.get(IMAGE)
    assert answer["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(answer.content))
    assert (image.format, image.size) == ("PNG", (1200, 675))


def test_the_zip_holds_the_text_page_figures_image_alt_text_charts_and_photos(olivia, with_story):
    published, report = with_story
    answer = olivia.get(ZIP)
    assert answer["Content-Type"] == "application/zip"
    assert "press-pack-nwpp-2023-24.zip" in answer["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    names = archive.namelist()
    for name in (
        "press-release.txt",
        "press-pack.html",
        "figures.json",
        "headline-figures.png",
        "headline-figures-alt-text.txt",
    ):
        assert name in names
    assert any(n.startswith("charts/") and n.endswith(".svg") for n in names)
    assert [n for n in names if n.startswith("photos/")]
    text = archive.read("press-release.txt").decode()
    assert text == press_text(press_pack(published, timezone.localdate()))
    alt = archive.read("headline-figures-alt-text.txt").decode()
    assert alt.startswith("Northway Procurement, social value in 2023-24")
    assert f'alt="{escape(alt.strip())}"' in archive.read("press-pack.html").decode()
    figures = json.loads(archive.read("figures.json"))["figures"]
    for row in figures:
        line = report.measure(row["measure"])
        assert row["figure"] == format_quantity(line.headline.value, money=line.is_money)


def test_the_photos_in_the_zip_carry_no_camera_data(olivia, with_story):
    archive = zipfile.ZipFile(io.BytesIO(olivia.get(ZIP).content))
    for name in archive.namelist():
        if name.startswith("photos/"):
            assert b"Canon" not in archive.read(name)


def test_withdrawing_consent_takes_the_story_out_of_the_pack_at_once(
    olivia, with_story, story, cara_contributor
):
    withdraw_consent(story.consents.get(), by=cara_contributor)
    assert escape(story.title) not in olivia.get(PAGE).content.decode()
    archive = zipfile.ZipFile(io.BytesIO(olivia.get(ZIP).content))
    assert not [n for n in archive.namelist() if n.startswith("photos/")]
    assert story.title not in archive.read("press-release.txt").decode()


def test_a_story_consented_for_the_public_page_but_not_the_press_stays_out(
    olivia, year_published, story, cara_contributor, olivia_officer
):
    consent_of_priya(story, cara_contributor, uses=["internal", "report", "public"])
    approve_case_study(story, by=olivia_officer)
    assert escape(story.title) not in olivia.get(PAGE).content.decode()
    assert escape(story.title) in olivia.get("/public/NWPP/2023-24/").content.decode()


def test_a_year_not_published_has_no_press_pack(olivia, year_published):
    for address in ("/reports/2022-23/press/", "/reports/2022-23/press.zip"):
        assert olivia.get(address).status_code == 404
    assert olivia.get("/reports/nonsense/press/").status_code == 404


@pytest.mark.parametrize("persona", ["cara_contributor", "mo_member_viewer", "otto_outsider"])
def test_only_provider_staff_have_the_press_pack(request, client, year_published, persona):
    client.force_login(request.getfixturevalue(persona))
    for address in (PAGE, ZIP, IMAGE):
        assert client.get(address).status_code == 404


def test_another_providers_staff_do_not_get_this_providers_pack(
    client, year_published, other_provider
):
    from socialledger.accounts.models import Role
    from socialledger.accounts.tests.factories import make_user

    client.force_login(make_user("oona", other_provider, Role.PROVIDER_OFFICER))
    assert client.get(PAGE).status_code == 404


def test_the_report_page_of_a_published_year_links_to_its_press_pack(olivia, year_published):
    assert f'href="{PAGE}"' in olivia.get("/?year=2023-24").content.decode()
    assert 'href="/reports/2022-23/press/"' not in olivia.get("/?year=2022-23").content.decode()
