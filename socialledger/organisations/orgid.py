"""Organisation identifier schemes from org-id.guide, the register OCDS names organisations by.

`data/org-id-schemes.csv` is the list of scheme codes of the org-id.guide register (its
`lists/` folder, repository org-id/register at commit f500b45f6c2a6f8b7c54eddbfb7628e73e3f01c7,
31 July 2026), licensed under the Open Database License (ODbL) 1.0: © org-id.guide contributors.
An export writes an identifier only under a scheme in that list and not deprecated there, so
no scheme is ever made up.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

SCHEMES_FILE = Path(__file__).resolve().parent / "data" / "org-id-schemes.csv"
COMPANIES_HOUSE = "GB-COH"


@cache
def org_id_schemes() -> frozenset[str]:
    """The codes org-id.guide lists and has not deprecated, e.g. GB-COH, GB-CHC, GB-SHPE."""
    with SCHEMES_FILE.open(encoding="utf-8", newline="") as handle:
        return frozenset(
            row["code"] for row in csv.DictReader(handle) if row["deprecated"] != "true"
        )


def is_org_id_scheme(scheme: str) -> bool:
    return scheme.strip().upper() in org_id_schemes()


def normalised_identifier(scheme: str, value: str) -> str:
    """An identifier as its register writes it. A Companies House number has eight characters:
    one published as digits without its leading zeros ("9900101") is "09900101"; letters are
    upper case ("sc123456" is "SC123456"); spaces are dropped."""
    value = value.strip()
    if scheme.strip().upper() != COMPANIES_HOUSE:
        return value
    compact = re.sub(r"\s+", "", value).upper()
    if compact.isdigit() and len(compact) < 8:
        return compact.zfill(8)
    return compact
