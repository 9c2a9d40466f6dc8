"""The demo's case studies: three approved stories with each person's consent and a picture
drawn for the demo (no real people, nothing photographed), shown on the published 2023-24 page
and in its press pack, where every number is the published report's figure."""

import io
import zipfile

import pytest
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.casestudies.models import CaseStudy, Use
from socialledger.casestudies.press import press_pack, press_text
from socialledger.casestudies.tests.test_press_pack import numbers_in, report_figures
from socialledger.demo.builder import PUBLISHED_YEAR, build_demo
from socialledger.demo.pictures import MARK
from socialledger.reports.models import PublishedReport
from socialledger.reports.queries import Scope, annual_report

TITLES = [
    "An apprenticeship in heat pumps",
    "From tenant to tenant liaison officer",
    "Volunteers rebuild a school garden",
]


@pytest.fixture
def demo(db):
    return build_demo()


def test_the_demo_has_three_approved_stories_with_consent_and_a_drawn_picture(demo):
    today = timezone.localdate()
    stories = CaseStudy.objects.for_provider(demo).order_by("title")
    assert [s.title for s in stories] == TITLES
    for story in stories:
        assert story.is_approved
        assert story.consents.exists()
        assert all(c.state(today) == "current" for c in story.consents.all())
        photo = story.photos.get()
        assert photo.alt_text.startswith("A drawing made for the demo")
        with photo.file.open("rb") as handle:
            image = Image.open(io.BytesIO(handle.read()))
        assert dict(image.getexif()) == {}
    assert list(CaseStudy.objects.usable_for(Use.PRESS, today).order_by("title")) == list(stories)


def test_the_pictures_say_they_are_illustrations():
    assert MARK == "Illustration made for the Social Ledger demo"


def test_the_demo_publishes_2023_24_with_the_stories_on_its_public_page(client, demo):
    assert PublishedReport.objects.for_provider(demo).live().get().year == PUBLISHED_YEAR
    page = client.get("/public/NWPP/2023-24/").content.decode()
    for title in TITLES:
        assert escape(title) in page
    for story in CaseStudy.objects.for_provider(demo):
        address = f"/public/NWPP/2023-24/photos/{story.photos.get().pk}/"
        assert address in page
        assert client.get(address).status_code == 200


def test_the_demo_press_pack_shows_the_stories_and_the_published_figures(client, demo):
    client.force_login(make_user("ada", demo, Role.PROVIDER_ADMIN))
    page = client.get("/reports/2023-24/press/").content.decode()
    for title in TITLES:
        assert escape(title) in page
    archive = zipfile.ZipFile(io.BytesIO(client.get("/reports/2023-24/press.zip").content))
    assert len([n for n in archive.namelist() if n.startswith("photos/")]) == 3


def test_every_number_in_the_demo_press_release_is_the_reports_figure(demo):
    published = PublishedReport.objects.for_provider(demo).live().get()
    text = press_text(press_pack(published, timezone.localdate()))
    release = text.split("The people behind the figures")[0]
    report = annual_report(Scope(demo), PUBLISHED_YEAR)
    found = set(numbers_in(release, published.threshold))
    assert {"356", "1,318", "114"} <= found
    assert found <= report_figures(report)
    assert "checked in a sample (suppressed)" in release
