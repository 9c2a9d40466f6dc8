"""The official OCDS validator (libcoveocds), offline against the vendored 1.1.5 schemas and
every declared extension, finds nothing to report in the demo's full export or its contract
performance notices: no schema error, no field outside the schema, no code outside a closed
codelist, no invalid extension, no failed additional check."""

from __future__ import annotations

import json
from datetime import date

import pytest

from socialledger.demo.builder import build_demo
from socialledger.imports.ocds_export import ocds_release_package, package_json
from socialledger.imports.ocds_performance import performance_notice_package
from socialledger.imports.ocds_schemas import EXTENSIONS, extension_urls
from socialledger.imports.tests.ocds_validation import findings, offline, review
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
