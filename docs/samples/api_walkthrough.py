"""A whole year's return through the Social Ledger API, with the standard library only.

With three tokens (made on the web under Your account > API tokens, each read and write):

  - a provider officer's (or admin's), to let a contract and later verify the return,
  - a supplier contributor's, to fill in and submit the supplier's return,

it lets a contract under a lot, opens the supplier's return for the year, adds figures in bulk,
submits it, verifies it as the officer, and prints the verified figure from the annual report.

    python docs/samples/api_walkthrough.py --base-url http://127.0.0.1:8000 \\
        --officer-token sl_... --supplier-token sl_... \\
        --framework DEC --lot 1 --member LFH --supplier CRS --year 2024-25

Every request and answer is JSON; every error has the shape
{"error": {"code": ..., "message": ..., "details": [...]}}.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.parse
import urllib.request


class ApiError(Exception):
    pass


class Api:
    """Calls the API with one token."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base = base_url.rstrip("/") + "/api/v1"
        self.token = token

    def call(self, method: str, path: str, body: dict | None = None, **query) -> dict:
        url = self.base + path
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - our own URL
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            problem = json.loads(error.read() or b"{}").get("error", {})
            details = "; ".join(f"{d['field']}: {d['message']}" for d in problem.get("details", []))
            raise ApiError(
                f"{method} {path} answered {error.code} {problem.get('code')}: "
                f"{problem.get('message')} {details}".strip()
            ) from None

    def get(self, path: str, **query) -> dict:
        return self.call("GET", path, **query)

    def post(self, path: str, body: dict) -> dict:
        return self.call("POST", path, body)

    def find(self, path: str, reference: str, **query) -> dict:
        """The one item of a list whose reference matches (the lists are paged)."""
        offset = 0
        while True:
            page = self.get(path, limit=100, offset=offset, **query)
            for item in page["items"]:
                if item["reference"].lower() == reference.lower():
                    return item
            offset += page["limit"]
            if offset >= page["count"]:
                raise ApiError(f"No {path.strip('/')} has the reference {reference}.")


def walk_through(args: argparse.Namespace) -> str:
    officer = Api(args.base_url, args.officer_token)
    supplier_api = Api(args.base_url, args.supplier_token)

    framework = officer.find("/frameworks", args.framework)
    lot = officer.find("/lots", args.lot, framework_id=framework["id"])
    member = officer.find("/organisations", args.member, kind="member")
    supplier = officer.find("/organisations", args.supplier, kind="supplier")
    start = "20" + args.year[2:4] + "-04-01"
    contract = officer.post(
        "/contracts",
        {
            "lot_id": lot["id"],
            "reference": args.contract,
            "title": "Retrofit of 40 homes (API walkthrough)",
            "member_id": member["id"],
            "supplier_id": supplier["id"],
            "value": "850000.00",
            "starts_on": start,
        },
    )
    print(f"Let contract {contract['reference']} (id {contract['id']}).")

    ret = supplier_api.post("/returns", {"year": args.year})
    print(f"Opened the {ret['financial_year']} return (id {ret['id']}), status {ret['status']}.")
    saved = supplier_api.post(
        f"/returns/{ret['id']}/entries",
        {
            "entries": [
                {
                    "contract_id": contract["id"],
                    "measure": "jobs-created",
                    "quantity": args.jobs,
                    "breakdowns": {"hours": "full-time", "locality": "local"},
                },
                {
                    "contract_id": contract["id"],
                    "measure": "apprenticeships-created",
                    "quantity": "1",
                    "breakdowns": {"trade": "Plumbing", "level": "2"},
                },
            ]
        },
    )
    print(f"Added {saved['added']} entries.")
    for item in saved["return"]["contracts"]:
        if not item["has_figures"] and not item["nil"]:
            supplier_api.post(
                f"/returns/{ret['id']}/nil",
                {"contract_id": item["id"], "reason": "No work on this contract this year"},
            )
    submitted = supplier_api.post(f"/returns/{ret['id']}/submit", {"note": "All sites"})
    print(f"Submitted: status {submitted['status']}.")

    verified = officer.post(f"/returns/{ret['id']}/verify", {"note": "Checked against payroll"})
    print(f"Verified: status {verified['status']}.")

    report = officer.get("/reports/annual", year=args.year, scope=f"supplier:{args.supplier}")
    jobs = next(line for line in report["measures"] if line["code"] == "jobs-created")
    figure = jobs["current"]["verified"]["value"]
    print(f"{report['title']}: jobs created (verified) = {figure}")
    return figure


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--officer-token", required=True)
    parser.add_argument("--supplier-token", required=True)
    parser.add_argument("--framework", required=True, help="The framework's reference")
    parser.add_argument("--lot", required=True, help="The lot's reference")
    parser.add_argument("--member", required=True, help="The member's (buyer's) reference")
    parser.add_argument("--supplier", required=True, help="The supplier's reference")
    parser.add_argument("--contract", default="API-001", help="The new contract's reference")
    parser.add_argument("--year", default="2024-25", help='e.g. "2024-25"')
    parser.add_argument("--jobs", default="5", help="Jobs created to report")
    args = parser.parse_args(argv)
    try:
        walk_through(args)
    except ApiError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
