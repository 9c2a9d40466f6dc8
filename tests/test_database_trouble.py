"""When the database is busy (SQLite's write lock held elsewhere) or out of reach (PostgreSQL not
listening): the command line says so in one line and exits 75, the web answers with a 503 page
saying so, nothing is half-written, and the same action succeeds when tried again."""

import sqlite3
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from socialledger.lib.instances import Instance, new_instance
from socialledger.lib.loadtest import Client as HttpClient
from socialledger.lib.loadtest import free_port, serve, sign_in
from socialledger.returns import actions as return_actions
from socialledger.returns.models import Return, Status
from socialledger.returns.tests.factories import make_return

SAMPLE = Path(__file__).resolve().parent.parent / "docs" / "samples" / "interchange-sample.csv"
COUNT_ENTRIES = "from socialledger.returns.models import Entry; print(Entry.objects.count())"
BUSY = {"SOCIALLEDGER_SQLITE_BUSY_TIMEOUT": "1"}


def test_a_page_whose_database_is_busy_answers_503_and_changes_nothing(
    supplier, contract, olivia_officer, monkeypatch
):
    ret = make_return(supplier, [(contract, "jobs-created", 4)], status=Status.SUBMITTED)

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setitem(return_actions.DECISIONS, "verify", busy)
    client = Client(raise_request_exception=False)
    client.force_login(olivia_officer)
    answer = client.post(reverse("return-decide", args=[ret.pk, "verify"]), {"note": ""})
    assert answer.status_code == 503
    assert answer["Retry-After"] == "30"
    assert "The database is busy" in answer.content.decode()
    assert "Traceback" not in answer.content.decode()
    assert Return.objects.get(pk=ret.pk).status == Status.SUBMITTED


# --- the real thing, in other processes --------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory):
    instance = new_instance(tmp_path_factory.mktemp("trouble") / "demo", database_url="")
    instance.run("demo", "--no-serve")
    return instance


@contextmanager
def write_lock_held(instance: Instance):
    """Another process's write transaction on the SQLite file, open until the block ends."""
    holder = sqlite3.connect(instance.sqlite_file, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def one_line_without_traceback(result) -> str:
    """The error, in one line and last: before it a command may only have shown its progress
    ("Checking rows done: ..."), never a traceback or a second error."""
    lines = result.stderr.strip().splitlines()
    assert not any("Traceback" in line for line in lines), result.stderr
    errors = [line for line in lines if line.startswith("socialledger: ")]
    assert errors == lines[-1:], result.stderr
    return errors[0]


@pytest.mark.slow
def test_an_import_into_a_busy_database_says_so_in_one_line_and_can_be_retried(sqlite_demo):
    before = sqlite_demo.shell(COUNT_ENTRIES)
    with write_lock_held(sqlite_demo):
        refused = sqlite_demo.run("import", str(SAMPLE), check=False, **BUSY)
    assert refused.returncode == 75
    assert "The database is busy" in one_line_without_traceback(refused)
    assert sqlite_demo.shell(COUNT_ENTRIES) == before
    assert "Imported" in sqlite_demo.run("import", str(SAMPLE), **BUSY).stdout
    assert int(sqlite_demo.shell(COUNT_ENTRIES)) > int(before)


@pytest.mark.slow
def test_a_command_whose_database_is_unreachable_says_so_in_one_line(tmp_path):
    nowhere = Instance(tmp_path, f"postgres://postgres@127.0.0.1:{free_port()}/socialledger")
    refused = nowhere.run("import", str(SAMPLE), check=False)
    assert refused.returncode == 75
    assert "The database cannot be reached" in one_line_without_traceback(refused)


@pytest.mark.slow
def test_a_decision_while_the_database_is_busy_gets_a_503_page_then_succeeds(sqlite_demo):
    submitted = sqlite_demo.shell(
        "from socialledger.returns.models import Return; "
        "print(Return.objects.filter(status='submitted').first().pk)"
    ).strip()
    status_now = (
        "from socialledger.returns.models import Return; "
        f"print(Return.objects.get(pk={submitted}).status)"
    )
    with serve(sqlite_demo, workers=1, threads=2, **BUSY) as base:
        officer = sign_in(base, "officer")
        client = HttpClient(base)
        decide = f"/returns/{submitted}/decisions/verify/"
        with write_lock_held(sqlite_demo):
            status, page, _ = client.request("POST", decide, cookies=officer, form={"note": ""})
        assert status == 503
        assert "The database is busy" in page.decode()
        assert sqlite_demo.shell(status_now).strip() == "submitted"
        status, _page, _ = client.request("POST", decide, cookies=officer, form={"note": ""})
        assert status == 302
    assert sqlite_demo.shell(status_now).strip() == "verified"


@pytest.mark.slow
def test_pages_whose_database_is_unreachable_get_a_503_page(tmp_path):
    nowhere = Instance(tmp_path, f"postgres://postgres@127.0.0.1:{free_port()}/socialledger")
    with serve(nowhere, workers=1, threads=2) as base:
        status, page, _ = HttpClient(base).request("GET", "/", cookies={"sessionid": "x" * 32})
    assert status == 503
    assert "The database cannot be reached" in page.decode()
    assert "Traceback" not in page.decode()
