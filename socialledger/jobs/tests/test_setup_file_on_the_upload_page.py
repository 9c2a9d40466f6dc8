"""Provider staff set up frameworks, lots, organisations, contracts, commitments and spend by
uploading the set-up file on the upload page: the check lists every problem with its row and
column and writes nothing; once confirmed, all of it is written."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from socialledger.contracts.models import Contract
from socialledger.imports.tests.helpers import ledger_counts
from socialledger.jobs.models import Job
from socialledger.jobs.tests.conftest import upload

SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"


def sample(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (SAMPLES / name).read_bytes(), content_type="text/csv")


def test_the_set_up_sample_is_checked_then_written_when_the_officer_confirms(ledger, olivia):
    page = upload(olivia, sample("setup-sample.csv"), kind="setup").content.decode()
    assert "Checked: no problems" in page
    assert "Would set up" in page
    assert not Contract.objects.filter(reference="DEC-002").exists()

    written = olivia.post(f"/jobs/{Job.objects.get().pk}/confirm/", follow=True)
    assert "Set up " in written.content.decode()
    assert Contract.objects.filter(reference="DEC-002").exists()


def test_the_broken_set_up_sample_lists_every_problem_and_writes_nothing(ledger, olivia):
    before = ledger_counts()
    page = upload(olivia, sample("setup-broken.csv"), kind="setup").content.decode()
    job = Job.objects.get()
    assert job.findings_count == 8
    for finding in job.findings.all():
        assert f"<td>{finding.row}</td><td>{finding.column}</td>" in page
    assert "Write it" not in page
    assert ledger_counts() == before
