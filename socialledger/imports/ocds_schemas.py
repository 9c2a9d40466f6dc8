"""The official OCDS 1.1.5 schemas and the extensions Social Ledger declares, as vendored copies.

The files are in `schemas/ocds/` (see its README for their sources, commits and licences). An
export declares each extension by the URL of its `extension.json` at a fixed tag or commit, so a
validator reads exactly the version vendored here; `vendored_file` answers those URLs offline.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCHEMAS = Path(__file__).resolve().parent / "schemas" / "ocds"
STANDARD = SCHEMAS / "standard-1__1__5"
STANDARD_TAG = "1__1__5"
RAW = "https://raw.githubusercontent.com"


@dataclass(frozen=True)
class Extension:
    """An OCDS extension: its name, the repository and the tag or commit vendored."""

    name: str
    repository: str
    ref: str

    @property
    def url(self) -> str:
        return f"{RAW}/{self.repository}/{self.ref}/extension.json"

    @property
    def folder(self) -> Path:
        return SCHEMAS / "extensions" / self.name


def _oc(name: str, ref: str) -> Extension:
    """One of the Open Contracting Partnership's extensions."""
    return Extension(name, f"open-contracting-extensions/ocds_{name}_extension", ref)


EXTENSIONS = (
    Extension("lots", "open-contracting-extensions/ocds_lots_extension", "v1.1.5"),
    Extension(
        "techniques",
        "open-contracting-extensions/ocds_techniques_extension",
        "5568b00a8dd694a3d34441bdd9ef2bd3f9d44b11",
    ),
    Extension(
        "metrics",
        "open-contracting-extensions/ocds_metrics_extension",
        "fad91df868907e339e5b3b4af5c334e02b80fa4f",
    ),
    # The extensions the UK extension modifies, which it names as its dependencies.
    _oc("awardCriteria", "9391240f353e8536992938fe9f7987cd89235331"),
    _oc("bid", "v1.1.5"),
    _oc("communication", "57a1567a85b9480ca10210fabbdbbbea5378f3f9"),
    _oc("location", "fcd56abaea4214d7f4d712087be32141badbe60c"),
    _oc("otherRequirements", "143e56e3166073b5d317826a745e46b9889e379b"),
    _oc("performance_failures", "ba848ad627309a76e19a5ed9281ade5dbe080915"),
    _oc("subcontracting", "65d06d0af7e5dc56f0f28beb54e5d7dc5d9155e7"),
    _oc("suitability", "271f51cef1160e66d8952a7e683f1d8375efcc95"),
    # The UK extension (Cabinet Office, for Find a Tender): measureClassification on observations.
    Extension("uk", "cabinetoffice/ocds_uk_extension", "aa0e43b84dfad0cb9b839a8135e0bc4b285d32fc"),
)


def extension_urls() -> list[str]:
    """The `extensions` of every package the export writes."""
    return [extension.url for extension in EXTENSIONS]


def vendored_file(url: str) -> Path | None:
    """The vendored copy of a file of a declared extension, or None for any other URL."""
    for extension in EXTENSIONS:
        base = extension.url.removesuffix("extension.json")
        if url.startswith(base):
            path = (extension.folder / url.removeprefix(base)).resolve()
            if path.is_relative_to(extension.folder) and path.is_file():
                return path
    return None


def vendored_download(url: str) -> bytes | None:
    """What a URL of a declared extension answers, from the vendored copy: one of its files, or
    (for GitHub's archive of the repository at the vendored ref, which OCDS tools download) a
    ZIP of them all; None for any other URL."""
    for extension in EXTENSIONS:
        if url == f"https://github.com/{extension.repository}/archive/{extension.ref}.zip":
            return _zipped(
                extension.folder, f"{extension.repository.split('/')[1]}-{extension.ref}"
            )
    path = vendored_file(url)
    return path.read_bytes() if path else None


def _zipped(folder: Path, top: str, under: str = "") -> bytes:
    """A folder as a ZIP archive of the kind GitHub gives, everything inside one top folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{top}/", "")
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top}/{under}{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def release_schemas() -> tuple[dict, dict]:
    """The 1.1.5 release package schema, and the release schema with every declared extension
    applied as OCDS applies them: each extension's release schema merged in as a JSON Merge
    Patch (RFC 7386), in the order declared."""
    release = _load(STANDARD / "release-schema.json")
    for extension in EXTENSIONS:
        release = _merge_patch(release, _load(extension.folder / "release-schema.json"))
    return _load(STANDARD / "release-package-schema.json"), release


@cache
def record_package_schema() -> dict:
    return _load(STANDARD / "record-package-schema.json")


def standard_zip() -> bytes:
    """The vendored standard's schema folder as the ZIP of the standard's repository that OCDS
    tools (ocdsextensionregistry, so libcoveocds) read, so they need no download."""
    return _zipped(STANDARD, f"standard-{STANDARD_TAG}", "schema/")


def _merge_patch(target, patch):
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = _merge_patch(merged.get(key), value)
    return merged
