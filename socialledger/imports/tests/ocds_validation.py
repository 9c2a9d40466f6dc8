"""The official OCDS validator (libcoveocds, the library behind the Open Contracting Partnership's
Data Review Tool), run offline against the vendored 1.1.5 schemas and extensions.

libcoveocds downloads the standard and each declared extension. Here the standard comes from the
vendored copy (as the ZIP it would download) and every HTTP request of the extension registry's
session is answered from the vendored files, so nothing is fetched: a URL that is not vendored
answers 404, which libcoveocds reports as an invalid extension.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from requests import Response
from requests.adapters import BaseAdapter

from socialledger.imports.ocds_schemas import standard_zip, vendored_download


class VendoredFiles(BaseAdapter):
    """Answers a request with a vendored extension file, or 404."""

    def send(self, request, **kwargs) -> Response:
        response = Response()
        response.url, response.request = request.url, request
        content = vendored_download(request.url)
        if content is None:
            response.status_code, response.reason, response._content = 404, "Not vendored", b""
        else:
            response.status_code, response.reason, response._content = 200, "OK", content
        return response

    def close(self) -> None:
        pass


@contextlib.contextmanager
def offline():
    from ocdsextensionregistry.util import session

    adapters = dict(session.adapters)
    session.mount("https://", VendoredFiles())
    session.mount("http://", VendoredFiles())
    try:
        with session.cache_disabled():
            yield
    finally:
        session.adapters.clear()
        session.adapters.update(adapters)


def review(package: dict, output_dir: Path) -> dict:
    """libcoveocds's review of a release or record package (its API context)."""
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    config = LibCoveOCDSConfig({"context": "api", "standard_zip": standard_zip()})
    with offline():
        return ocds_json_output(str(output_dir), json_data=package, lib_cove_ocds_config=config)


# libcoveocds merges an extension's codelist additions ("+name.csv") only into the standard's
# codelists; the UK extension adds codes to two codelists of the extensions it depends on (bid,
# otherRequirements), which libcoveocds therefore reports as failed. Both are vendored and
# declared, so these two, and only these, are its own limitation.
UK = "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/"
LIBCOVE_CODELIST_LIMITS = {"+bidStatistics.csv", "+reservedParticipation.csv"}


def findings(package: dict, output_dir: Path) -> dict[str, list]:
    """Everything the review reports that is not a clean bill: schema errors, fields outside the
    schema, codes outside closed or open codelists, invalid extensions, codelists an extension
    could not apply, deprecated fields and the additional checks.

    Fields under an observation's `dimensions` are not "outside the schema": the Metrics
    extension allows any name there (patternProperties), which libcoveocds does not read."""
    result = review(package, output_dir)
    extensions = result.get("extensions") or {}
    failed = [
        (e["url"], name)
        for e in extensions.get("extensions") or []
        for name in e.get("failed_codelists") or {}
        if not (e["url"].startswith(UK) and name in LIBCOVE_CODELIST_LIMITS)
    ]
    additional = [
        f for f in result["additional_fields"] if not f["path"].endswith("/observations/dimensions")
    ]
    found = {
        "validation_errors": result["validation_errors"],
        "additional_fields": additional,
        "additional_closed_codelist_values": list(result["additional_closed_codelist_values"]),
        "additional_open_codelist_values": list(
            result.get("additional_open_codelist_values") or {}
        ),
        "invalid_extension": list(extensions.get("invalid_extensions") or []),
        "failed_codelists": failed,
        "additional_checks": list(result.get("additional_checks") or []),
        "deprecated_fields": result["deprecated_fields"],
        "json_deref_error": [result["json_deref_error"]] if "json_deref_error" in result else [],
    }
    return {name: items for name, items in found.items() if items}
