"""docs/samples/api_walkthrough.py, run as a program against the live test server, does a whole
year's return through the API with two tokens and ends with the verified figure in the report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_token, make_user
from socialledger.contracts.actions import appoint_supplier
from socialledger.contracts.tests.factories import make_framework
from socialledger.organisations.tests.factories import make_member, make_provider, make_supplier
from socialledger.returns.models import Return, Status

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "samples" / "api_walkthrough.py"


@pytest.mark.slow
def test_the_walkthrough_script_fills_submits_verifies_and_reads_the_report(live_server):
    provider = make_provider("NWPP", "Northway Procurement")
    framework = make_framework(provider, "DEC", lots=("1", "2"))
    make_member(provider, "LFH", "Larkfield Homes")
    supplier = make_supplier(provider, "CRS", "Calder Retrofit Services")
    appoint_supplier(framework.lots.get(reference="1"), supplier, by=None)
    officer = make_token(make_user("olivia", provider, Role.PROVIDER_OFFICER))
    contributor = make_token(make_user("cara", supplier, Role.SUPPLIER_CONTRIBUTOR))
    run = subprocess.run(  # noqa: S603 - our own sample, with the interpreter running the tests
        [
            sys.executable,
            str(SCRIPT),
            "--base-url",
            live_server.url,
            "--officer-token",
            officer,
            "--supplier-token",
            contributor,
            "--framework",
            "DEC",
            "--lot",
            "1",
            "--member",
            "LFH",
            "--supplier",
            "CRS",
            "--year",
            "2024-25",
            "--jobs",
            "7",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1].endswith("jobs created (verified) = 7")
    assert Return.objects.get(supplier=supplier).status == Status.VERIFIED


def test_the_walkthrough_uses_only_the_standard_library():
    imports = [
        line.split()[1]
        for line in SCRIPT.read_text().splitlines()
        if line.startswith(("import ", "from "))
    ]
    assert set(imports) <= {
        "__future__",
        "argparse",
        "json",
        "sys",
        "urllib.error",
        "urllib.parse",
        "urllib.request",
    }
