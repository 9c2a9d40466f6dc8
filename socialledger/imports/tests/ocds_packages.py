"""make_* helpers for OCDS release packages shaped as Find a Tender publishes them."""

from __future__ import annotations

from decimal import Decimal

FRAMEWORK_OCID = "ocds-h6vhtk-0f1a01"


def party(identifier: str, name: str, roles: list[str], scheme: str = "GB-COH", **extra) -> dict:
    return {
        "id": f"{scheme}-{identifier}",
        "name": name,
        "identifier": {"scheme": scheme, "id": identifier},
        "roles": roles,
        **extra,
    }


def reference(found: dict) -> dict:
    return {"id": found["id"], "name": found["name"]}


def framework_release(
    *,
    ocid: str = FRAMEWORK_OCID,
    suppliers=(("09900101", "Fellside Energy Homes Ltd"),),
    lots=("1", "2"),
) -> dict:
    """A framework award: lots, and one award per supplier for every lot."""
    appointed = [party(number, name, ["supplier"]) for number, name in suppliers]
    return {
        "ocid": ocid,
        "id": f"{ocid}-award",
        "date": "2024-04-02T10:00:00Z",
        "tag": ["award"],
        "initiationType": "tender",
        "parties": [party("09900001", "Northway Procurement", ["buyer"]), *appointed],
        "tender": {
            "id": "KRF",
            "title": "Kestrel Retrofit Framework",
            "value": {"amount": 60000000, "currency": "GBP"},
            "contractPeriod": {
                "startDate": "2024-04-01T00:00:00Z",
                "endDate": "2028-03-31T23:59:59Z",
            },
            "techniques": {"hasFrameworkAgreement": True},
            "lots": [{"id": lot, "title": f"Lot {lot} works"} for lot in lots],
        },
        "awards": [
            {"id": f"A{index}", "suppliers": [reference(found)], "relatedLots": list(lots)}
            for index, found in enumerate(appointed)
        ],
    }


def call_off_release(
    *,
    ocid: str = "ocds-b5fd17-7c1e2a",
    contract_id: str = "KRF-MHA-001",
    amount=Decimal("6400000"),
    supplier=("09900101", "Fellside Energy Homes Ltd"),
    buyer=("L0099", "Moorcroft Housing Association", "GB-SHPE"),
    lot: str = "1",
    start: str = "2024-06-03T00:00:00+01:00",
    framework: str = FRAMEWORK_OCID,
) -> dict:
    """A call-off under the framework: one award, one contract."""
    the_buyer = party(buyer[0], buyer[1], ["buyer"], scheme=buyer[2])
    the_supplier = party(supplier[0], supplier[1], ["supplier"])
    return {
        "ocid": ocid,
        "id": f"{ocid}-contract",
        "date": "2024-05-14T12:00:00Z",
        "tag": ["contract"],
        "initiationType": "tender",
        "parties": [the_buyer, the_supplier],
        "buyer": reference(the_buyer),
        "relatedProcesses": [
            {"id": "1", "relationship": ["framework"], "scheme": "ocid", "identifier": framework}
        ],
        "tender": {"id": "T1", "title": "Retrofit of 120 homes"},
        "awards": [{"id": "AW1", "suppliers": [reference(the_supplier)], "relatedLots": [lot]}],
        "contracts": [
            {
                "id": contract_id,
                "awardID": "AW1",
                "title": "Retrofit of 120 homes, Moorcroft estate",
                "value": {"amount": amount, "currency": "GBP"},
                "period": {"startDate": start, "endDate": "2026-05-29T23:59:59+01:00"},
            }
        ],
    }


def package(*releases: dict) -> dict:
    return {"version": "1.1", "releases": list(releases)}
