"""Provider staff upload a file in the browser: a job checks it and lists every problem with its
row and column; after they confirm, a second job writes all of it or none; the result page says
what was written. Nobody outside the provider can see the jobs."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socialledger.imports.tests.helpers import ledger_counts
from socialledger.imports.tests.ocds_packages import framework_release, package
from socialledger.jobs.models import Job, Stage
from socialledger.jobs.tests.conftest import GOOD_ROWS, figures_file, upload
from socialledger.lib.periods import FinancialYear
from socialledger.returns.models import Entry, Status
from socialledger.returns.tests.factories import make_return


def test_an_officer_uploads_figures_sees_the_check_confirms_and_sees_what_was_written(
    ledger, olivia
):
    checked = upload(olivia, figures_file(*GOOD_ROWS))
    assert checked.status_code == 200
    page = checked.content.decode()
    assert "Checked: no problems" in page
    assert "Would import 3 rows" in page
    assert Entry.objects.count() == 0  # nothing written by the check

    dry_run = Job.objects.get()
    written = olivia.post(f"/jobs/{dry_run.pk}/confirm/", follow=True)
    page = written.content.decode()
    assert "Written" in page
    assert "Imported 3 rows. Entries: 3 added" in page
    assert Entry.objects.count() == 3


def test_every_problem_is_listed_with_its_row_and_column_and_nothing_can_be_written(ledger, olivia):
    rows = (*GOOD_ROWS, "DEC,DEC-001,CRS,LFH,jobs-created,2021-22,lots", "DEC,NOPE,CRS,LFH,x,y,1")
    page = upload(olivia, figures_file(*rows)).content.decode()
    job = Job.objects.get()
    assert job.findings_count >= 3
    assert f"The file has {job.findings_count} problems; nothing was written" in page
    for finding in job.findings.all():
        assert f"<td>{finding.row}</td><td>{finding.column}</td>" in page
    assert "<td>5</td><td>quantity</td><td>lots</td>" in page
    assert "Write it" not in page
    assert olivia.post(f"/jobs/{job.pk}/confirm/").status_code == 302
    assert Job.objects.count() == 1
    assert Entry.objects.count() == 0


def test_a_check_can_be_written_only_once(ledger, olivia):
    upload(olivia, figures_file(*GOOD_ROWS))
    dry_run = Job.objects.get()
    olivia.post(f"/jobs/{dry_run.pk}/confirm/")
    olivia.post(f"/jobs/{dry_run.pk}/confirm/")
    assert Job.objects.count() == 2
    assert Entry.objects.count() == 3
    page = olivia.get(f"/jobs/{dry_run.pk}/").content.decode()
    assert "See what was written" in page


def test_a_file_of_the_wrong_kind_is_refused_on_the_page(ledger, olivia):
    answer = upload(olivia, figures_file(*GOOD_ROWS, name="figures.pdf"))
    assert answer.status_code == 400
    assert "read from a file ending .csv" in answer.content.decode()
    assert not Job.objects.exists()


def test_a_file_above_the_size_limit_is_refused_before_it_is_stored(ledger, olivia, settings):
    settings.IMPORT_MAX_BYTES = 100
    answer = upload(olivia, figures_file(*GOOD_ROWS))
    assert answer.status_code == 400
    assert "more than the 0.0 MB an import takes; split it" in answer.content.decode()
    assert not Job.objects.exists()


def test_ocds_notices_are_checked_and_written_the_same_way(ledger, olivia):
    notices = json.dumps(package(framework_release()), default=str).encode()
    page = upload(
        olivia,
        SimpleUploadedFile("notices.json", notices, content_type="application/json"),
        kind="ocds",
        create_missing="on",
    ).content.decode()
    assert "Checked: no problems" in page
    assert "Would import 1 releases" in page
    dry_run = Job.objects.get()
    page = olivia.post(f"/jobs/{dry_run.pk}/confirm/", follow=True).content.decode()
    assert "Imported 1 releases. Frameworks: 1 created" in page


def test_a_file_that_is_not_json_is_one_finding(ledger, olivia):
    upload(olivia, SimpleUploadedFile("notices.json", b"{not json"), kind="ocds")
    finding = Job.objects.get().findings.get()
    assert finding.row == 0
    assert "the file is not JSON" in finding.expected


def test_a_write_that_fails_half_way_leaves_nothing_written(ledger, olivia, monkeypatch):
    upload(olivia, figures_file(*GOOD_ROWS))
    dry_run = Job.objects.get()
    before = ledger_counts()

    def stop(*args, **kwargs):
        raise RuntimeError("the machine was switched off")

    monkeypatch.setattr("socialledger.imports.actions.refresh_statistics", stop)
    page = olivia.post(f"/jobs/{dry_run.pk}/confirm/", follow=True).content.decode()
    assert "The job stopped because of an error on the server; nothing was written." in page
    assert Job.objects.get(follows=dry_run).stage == Stage.FAILED
    assert ledger_counts() == before


def test_a_write_refused_by_a_change_since_the_check_writes_nothing(ledger, supplier, olivia):
    """The write checks everything again: a return verified meanwhile refuses the file."""
    upload(olivia, figures_file(*GOOD_ROWS))
    dry_run = Job.objects.get()
    make_return(supplier, year=FinancialYear(2023), status=Status.VERIFIED)
    before = ledger_counts()
    page = olivia.post(f"/jobs/{dry_run.pk}/confirm/", follow=True).content.decode()
    assert "nothing was written" in page
    assert Job.objects.get(follows=dry_run).findings_count > 0
    assert ledger_counts() == before


@pytest.mark.parametrize("persona", ["otto_outsider", "mo_member_viewer", "cara_contributor"])
def test_nobody_outside_the_providers_staff_sees_its_jobs(ledger, olivia, client, persona, request):
    upload(olivia, figures_file(*GOOD_ROWS))
    job = Job.objects.get()
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.post(f"/jobs/{job.pk}/confirm/").status_code == 404
    assert f"/jobs/{job.pk}/" not in client.get("/jobs/").content.decode()


def test_people_who_may_not_import_get_no_upload_form(ledger, client, mo_member_viewer):
    client.force_login(mo_member_viewer)
    page = client.get("/jobs/").content.decode()
    assert "Upload and check" not in page
    answer = client.post("/jobs/", {"kind": "figures", "file": figures_file(*GOOD_ROWS)})
    assert answer.status_code == 200
    assert not Job.objects.exists()
