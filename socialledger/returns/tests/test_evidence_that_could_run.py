"""Evidence that a browser could run (HTML, SVG, XML dressed as CSV) is refused, and every
accepted file is named for the type it really is."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socialledger.returns.evidence import EvidenceError, add_evidence
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return
from socialledger.returns.tests.test_evidence import PDF, PNG


@pytest.fixture
def draft(supplier, contract, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return make_return(supplier, [(contract, "jobs-created", 4)], status=Status.DRAFT)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("payroll.csv", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("payroll.html", b"\xef\xbb\xbf  <html><body>hi</body></html>"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        ("data.csv", b'<?xml version="1.0"?><x/>'),
        ("names.csv", b"name,start\nA,<script>alert(1)</script>\n"),
    ],
)
def test_markup_is_refused_whatever_it_is_called(draft, name, content):
    with pytest.raises(EvidenceError, match="web page or drawing"):
        add_evidence(draft, by=None, upload=SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "kept"),
    [
        ("report.html", b"name,start\nA,2024-05-01\n", "report.csv"),
        ("scan.pdf", PNG, "scan.png"),
        ("agreement", PDF, "agreement.pdf"),
        ("photo.JPEG", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "photo.JPEG"),
        ("notes.txt", b"a plain note\n", "notes.txt"),
    ],
)
def test_a_file_is_offered_back_under_a_name_that_matches_its_type(
    client, draft, cara_contributor, name, content, kept
):
    item = add_evidence(draft, by=None, upload=SimpleUploadedFile(name, content))
    assert item.original_name == kept
    client.force_login(cara_contributor)
    answer = client.get(f"/evidence/{item.pk}/")
    assert answer["Content-Disposition"] == f'attachment; filename="{kept}"'
    assert answer["Content-Type"] == item.content_type
