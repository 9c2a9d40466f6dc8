"""`socialledger worker` runs the jobs people start, in a process of its own: an upload's check,
then its write, with the reminders queued beside them; SIGTERM stops it cleanly."""

import json
import signal
import time

import pytest

from socialledger.lib.instances import new_instance

pytestmark = pytest.mark.slow

SET_UP = """
from django.core.files.uploadedfile import SimpleUploadedFile
from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.contracts.tests.factories import make_contract, make_framework
from socialledger.jobs.actions import start_upload
from socialledger.organisations.tests.factories import make_member, make_provider, make_supplier
provider = make_provider()
framework = make_framework(provider, "DEC", lots=("1",))
make_contract(framework, "DEC-001", member=make_member(provider, "LFH"),
              supplier=make_supplier(provider, "CRS"), value="2000000")
olivia = make_user("olivia", provider, Role.PROVIDER_OFFICER)
rows = "framework,contract,supplier,member,measure,financial_year,quantity\\n" + (
    "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,4\\nDEC,DEC-001,CRS,LFH,jobs-sustained,2023-24,11\\n")
job = start_upload(provider, "figures", SimpleUploadedFile("figures.csv", rows.encode()), by=olivia)
print(job.pk)
"""
CONFIRM = """
from socialledger.jobs.actions import confirm_upload
from socialledger.jobs.models import Job
dry_run = Job.objects.get(pk={pk})
print(confirm_upload(dry_run, by=dry_run.started_by).pk)
"""
STATE = """
import json
from django_tasks_db.models import DBTaskResult
from socialledger.jobs.models import Job
from socialledger.returns.models import Entry
job = Job.objects.get(pk={pk})
print(json.dumps({{
    "stage": job.stage, "result": job.result, "error": job.error, "entries": Entry.objects.count(),
    "task": DBTaskResult.objects.get(id=job.task_id).status,
    "reminders": sorted(DBTaskResult.objects.filter(
        task_path__endswith="send_due_reminders").values_list("status", flat=True)),
}}))
"""


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def wait_for(instance, pk: int, timeout: float = 90) -> dict:
    """The job's state once it has finished (the worker runs it meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = json.loads(last_line(instance.shell(STATE.format(pk=pk))))
        if state["stage"] in ("done", "failed"):
            return state
        time.sleep(0.5)
    raise AssertionError(f"job {pk} did not finish in {timeout:.0f} s: {state}")


@pytest.fixture
def instance(tmp_path):
    made = new_instance(tmp_path / "instance")
    made.run("migrate", "--noinput")
    yield made
    made.remove()


def test_the_worker_runs_an_uploads_check_and_then_its_write(instance):
    checking = int(last_line(instance.shell(SET_UP)))
    assert json.loads(last_line(instance.shell(STATE.format(pk=checking))))["stage"] == "waiting"
    worker = instance.start("worker", "--no-startup-delay", "--interval", "0.2")
    try:
        checked = wait_for(instance, checking)
        assert checked["stage"] == "done", checked
        assert checked["result"].startswith("Would import 2 rows")
        assert checked["entries"] == 0
        assert checked["task"] == "SUCCESSFUL"

        writing = int(last_line(instance.shell(CONFIRM.format(pk=checking))))
        written = wait_for(instance, writing)
        assert written["result"].startswith("Imported 2 rows. Entries: 2 added")
        assert written["entries"] == 2
        assert written["reminders"] == ["SUCCESSFUL"]  # queued as the worker started
    finally:
        worker.send_signal(signal.SIGTERM)
        code = worker.wait(timeout=30)
    assert code == 0
