"""A further kind of upload is one line in the registry: the upload page offers it, and its
check, findings, confirmation and result go through the same job pages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from socialledger.imports.reading import ImportRefused, Problem
from socialledger.jobs import kinds
from socialledger.jobs.kinds import Kind, register
from socialledger.jobs.models import Job
from socialledger.jobs.tests.conftest import upload


def import_setup_file(path, *, by, dry_run):
    """A stand-in for a set-up file import: refuses a file holding "bad"."""
    if b"bad" in path.read_bytes():
        raise ImportRefused([Problem(3, "lot", "bad", "a lot of the framework")])
    return f"{'Would create' if dry_run else 'Created'} 1 framework."


def test_a_kind_registered_in_one_line_is_offered_checked_and_written(ledger, olivia, monkeypatch):
    monkeypatch.setattr(kinds, "KINDS", dict(kinds.KINDS))
    register(
        Kind(
            "setup",
            "Set-up file",
            "Frameworks and lots.",
            lambda path, by, dry_run, **_: import_setup_file(path, by=by, dry_run=dry_run),
            suffixes=(".csv",),
        )
    )
    assert "Set-up file" in olivia.get("/jobs/").content.decode()

    refused = upload(olivia, SimpleUploadedFile("setup.csv", b"bad"), kind="setup")
    assert "<td>3</td><td>lot</td><td>bad</td><td>a lot of the framework</td>" in (
        refused.content.decode()
    )
    checked = upload(olivia, SimpleUploadedFile("setup.csv", b"good"), kind="setup")
    assert "Would create 1 framework." in checked.content.decode()
    dry_run = Job.objects.filter(findings_count=0).get()
    written = olivia.post(f"/jobs/{dry_run.pk}/confirm/", follow=True).content.decode()
    assert "Created 1 framework." in written
