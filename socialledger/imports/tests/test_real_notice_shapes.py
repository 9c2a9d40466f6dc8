"""The shapes real notices come in, made from the vendored real notices themselves: the same
notice as a record package (embedded releases, or only a compiled release), a release repeated
in a package, ids longer and more spaced than a reference, and a party with only a name."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from socialledger.contracts.models import Framework
from socialledger.imports.actions import import_ocds_package
from socialledger.imports.ocds import read_package
from socialledger.imports.reading import ImportRefused
from socialledger.organisations.models import Organisation

NOTICES = Path(__file__).parent / "notices"
WALES = NOTICES / "sell2wales-tenders.json"
CONTRACTS_FINDER = NOTICES / "contracts-finder-espo-framework-award.json"


def releases(path: Path) -> list[dict]:
    """The notice's releases as the import reads them (amounts as exact decimals)."""
    return read_package(path)["releases"]


def welsh_framework() -> dict:
    return releases(WALES)[0]


def stored(ocid: str) -> tuple:
    framework = Framework.objects.get(ocid=ocid)
    lots = sorted(framework.lots.values_list("reference", "name", "value"))
    return (framework.reference, framework.name, framework.value, framework.starts_on), lots


@pytest.mark.parametrize("embedded", [True, False], ids=["releases", "compiled-release"])
def test_a_record_package_imports_as_its_release_package_does(provider, embedded):
    release = welsh_framework()
    import_ocds_package(provider, {"releases": [release]}, by=None)
    expected = stored(release["ocid"])
    Framework.objects.all().delete()
    record = {"ocid": release["ocid"]}
    if embedded:
        record["releases"] = [release]
    else:
        record["compiledRelease"] = {k: v for k, v in release.items() if k != "tag"}
    summary = import_ocds_package(provider, {"records": [record]}, by=None)
    assert summary.frameworks_created == 1
    assert stored(release["ocid"]) == expected


def test_a_release_repeated_in_the_package_is_read_once_and_noted(provider):
    release = welsh_framework()
    summary = import_ocds_package(provider, {"releases": [release, release]}, by=None)
    assert summary.frameworks_created == 1
    assert Framework.objects.filter(ocid=release["ocid"]).count() == 1
    assert any(release["id"] in note and "repeated" in note for note in summary.notes)


def test_an_id_longer_than_a_reference_is_cut_and_never_refused_as_blank(provider):
    release = welsh_framework()
    assert len(release["tender"]["id"]) > 40  # the 43 characters Sell2Wales published
    import_ocds_package(provider, {"releases": [release]}, by=None)
    reference = Framework.objects.get(ocid=release["ocid"]).reference
    assert reference == release["tender"]["id"][:40]


def test_an_unreadable_notice_is_refused_with_a_true_message_and_no_false_blank(provider):
    with pytest.raises(ImportRefused) as refused:
        import_ocds_package(provider, {"releases": releases(WALES)}, by=None)
    text = " ".join(f"{p.path} {p.value} {p.expected}" for p in refused.value.problems)
    assert "cannot be blank" not in text
    assert "ocds-kuma6s-148440" in text


def test_a_party_with_only_a_name_is_refused_unless_asked_to_register_it(provider):
    (release,) = releases(CONTRACTS_FINDER)
    named_only = [
        p for p in release["parties"] if "supplier" in p["roles"] and not p["identifier"].get("id")
    ]
    assert named_only, "the notice has a supplier published with only a name"
    with pytest.raises(ImportRefused) as refused:
        import_ocds_package(provider, {"releases": [release]}, by=None, as_framework=True)
    assert any(named_only[0]["name"] in str(p.value) for p in refused.value.problems)
    assert not Organisation.objects.filter(name=named_only[0]["name"]).exists()
    import_ocds_package(
        provider,
        {"releases": [copy.deepcopy(release)]},
        by=None,
        as_framework=True,
        create_missing=True,
    )
    assert Organisation.objects.filter(provider=provider, name=named_only[0]["name"]).exists()
