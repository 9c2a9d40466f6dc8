"""The official OCDS validator (libcoveocds), offline against the vendored 1.1.5 schemas and
every declared extension, finds nothing to report in the demo's full export or its contract
performance notices: no schema error, no field outside the schema, no code outside a closed
codelist, no invalid extension, no failed additional check."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from socialledger.demo.builder import build_demo
from socialledger.imports.ocds_export import ocds_release_package, package_json
from socialledger.imports.ocds_performance import performance_notice_package
from socialledger.imports.ocds_schemas import EXTENSIONS, extension_urls
from socialledger.imports.tests.ocds_validation import findings, offline, review
from socialledger.kpis.models import Kpi
from socialledger.reports.queries import Scope

# libcoveocds is a test requirement (pyproject.toml): a missing validator fails here, never skips.


def as_published(package: dict) -> dict:
    return json.loads(package_json(package))


@pytest.fixture
def demo(db):
    return build_demo()


def test_the_demos_full_export_passes_the_official_validator(demo, tmp_path):
    package = as_published(ocds_release_package(Scope(demo)))
    assert len(package["releases"]) > 2
    assert findings(package, tmp_path) == {}


def test_the_demos_contract_performance_notices_pass_the_official_validator(demo, tmp_path):
    package = as_published(performance_notice_package(Scope(demo), date(2026, 12, 7)))
    observations = [
        observation
        for release in package["releases"]
        for contract in release["contracts"]
        for metric in contract["implementation"]["metrics"]
        for observation in metric["observations"]
    ]
    assert len(package["releases"]) >= 2
    assert all("measureClassification" in o for o in observations)
    assert findings(package, tmp_path) == {}


def test_a_publisher_with_its_scheme_uid_and_publication_policy_passes_too(
    demo, tmp_path, settings
):
    settings.OCDS_PUBLISHER_SCHEME, settings.OCDS_PUBLISHER_UID = "GB-COH", "09900101"
    settings.OCDS_PUBLICATION_POLICY = "https://example.org/open-contracting-policy"
    package = as_published(performance_notice_package(Scope(demo), date(2026, 12, 7)))
    assert package["publisher"] == {
        "name": "Northway Procurement Partnership",
        "scheme": "GB-COH",
        "uid": "09900101",
    }
    assert package["publicationPolicy"] == "https://example.org/open-contracting-policy"
    assert package["license"].endswith("/open-government-licence/version/3/")
    assert findings(package, tmp_path) == {}


SAMPLE_NOTICE = Path(__file__).resolve().parents[3] / "docs/samples/ocds-performance-notice.json"


def test_the_documented_example_notice_is_the_demos_own_and_passes(demo, tmp_path, settings):
    """docs/samples/ocds-performance-notice.json, shown in docs/ocds.md, is the demo's first
    contract performance notice as exported (with the publisher settings it names), apart
    from the moment it was written."""
    settings.OCDS_PUBLISHER_SCHEME, settings.OCDS_PUBLISHER_UID = "GB-COH", "09900202"
    settings.OCDS_PUBLICATION_POLICY = "https://northway.example/open-contracting"
    # A metric's id carries its KPI's database id: the sample was written where the demo's
    # first KPI is 1; PostgreSQL's sequences may have moved on.
    first_kpi = Kpi.objects.order_by("pk").first().pk
    text = re.sub(r'"kpi-1(["-])', rf'"kpi-{first_kpi}\1', SAMPLE_NOTICE.read_text("utf-8"))
    sample = json.loads(text)
    exported = as_published(performance_notice_package(Scope(demo), date(2026, 12, 7)))
    exported["releases"] = exported["releases"][:1]
    for package in (sample, exported):
        package.pop("publishedDate")
        package["releases"][0].pop("date")
    assert sample == exported
    assert findings(json.loads(SAMPLE_NOTICE.read_text(encoding="utf-8")), tmp_path) == {}


def test_the_validator_would_catch_a_package_without_its_uri(demo, tmp_path):
    package = as_published(ocds_release_package(Scope(demo)))
    del package["uri"]
    found = findings(package, tmp_path)
    assert [e["description"] for e in found["validation_errors"]] == [
        "'uri' is missing but required"
    ]


def test_nothing_is_downloaded_a_url_not_vendored_answers_not_found():
    from ocdsextensionregistry.util import session

    with offline():
        assert session.get("https://example.org/extension.json").status_code == 404
        assert session.get(extension_urls()[0]).json()["name"] == {"en": "Lots"}


def test_every_declared_extension_is_applied(demo, tmp_path):
    package = as_published(ocds_release_package(Scope(demo)))
    extensions = review(package, tmp_path)["extensions"]["extensions"]
    assert [e["url"] for e in extensions] == extension_urls()
    assert {"lots", "metrics", "techniques", "uk"} <= {e.name for e in EXTENSIONS}
