"""Evidence: files checked by their content, kept under our own names, shown only to those who
may see the return, and graded by officers."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socialledger.audit.models import AuditEvent
from socialledger.returns.actions import TransitionError, submit_return
from socialledger.returns.evidence import EvidenceError, add_evidence, clean_name, grade_evidence
from socialledger.returns.models import Evidence, Status
from socialledger.returns.tests.factories import make_return

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        book.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.fixture
def draft(supplier, contract):
    return make_return(supplier, [(contract, "jobs-created", 4)], status=Status.DRAFT)


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("payroll.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("list.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("names.csv", b"name,start\nA,2024-05-01\n", "text/csv"),
    ],
)
def test_allowed_files_are_kept_under_a_name_of_our_own(
    draft, name, content, kind, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    item = add_evidence(draft, by=None, upload=upload(name, content))
    assert item.content_type == kind
    assert item.original_name == name
    assert name not in item.file.name
    assert item.file.read() == content


def test_the_type_comes_from_the_content_not_the_name(draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(EvidenceError, match="evidence must be PDF"):
        add_evidence(draft, by=None, upload=upload("invoice.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60))
    assert add_evidence(draft, by=None, upload=upload("scan.pdf", PNG)).content_type == "image/png"


def test_a_file_over_the_limit_or_empty_is_refused(draft, settings, tmp_path):
    settings.MEDIA_ROOT, settings.EVIDENCE_MAX_BYTES = tmp_path, 100
    with pytest.raises(EvidenceError, match="the limit is 0 MB"):
        add_evidence(draft, by=None, upload=upload("big.pdf", PDF + b"x" * 200))
    with pytest.raises(EvidenceError, match="empty"):
        add_evidence(draft, by=None, upload=upload("none.pdf", b""))


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\payroll.pdf", "payroll.pdf"),
        ('..\\"x".pdf', "x.pdf"),
        ("/", "evidence"),
        (".hidden.pdf", "hidden.pdf"),
    ],
)
def test_path_tricks_in_file_names_are_removed(given, kept):
    assert clean_name(given) == kept


def test_a_file_named_with_a_path_is_stored_safely_and_offered_back_cleaned(
    client, draft, cara_contributor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    item = add_evidence(draft, by=None, upload=upload("../../../etc/passwd.pdf", PDF))
    assert (tmp_path / item.file.name).resolve().is_relative_to(tmp_path.resolve())
    client.force_login(cara_contributor)
    response = client.get(f"/evidence/{item.pk}/")
    assert response["Content-Disposition"] == 'attachment; filename="passwd.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_only_those_who_may_see_the_return_download_its_evidence(
    client, draft, mo_member_viewer, olivia_officer, otto_outsider, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    item = add_evidence(draft, by=None, upload=upload("payroll.pdf", PDF))
    for person, status in [(mo_member_viewer, 404), (otto_outsider, 404), (olivia_officer, 200)]:
        client.force_login(person)
        assert client.get(f"/evidence/{item.pk}/").status_code == status


def test_a_link_is_evidence_too_but_must_be_a_web_address(draft):
    assert (
        add_evidence(draft, by=None, link="https://example.org/photos").link
        == "https://example.org/photos"
    )
    with pytest.raises(EvidenceError, match="must start with https://"):
        add_evidence(draft, by=None, link="javascript:alert(1)")


def test_evidence_is_added_only_while_the_return_is_editable(draft, cara_contributor):
    submit_return(draft, by=cara_contributor)
    with pytest.raises(TransitionError, match="not a submitted one"):
        add_evidence(draft, by=None, link="https://example.org")


def test_an_officer_grades_evidence_and_it_is_audited(client, draft, olivia_officer):
    item = add_evidence(draft, by=None, link="https://example.org/agreement")
    client.force_login(olivia_officer)
    client.post(f"/evidence/{item.pk}/grade/", {"grade": Evidence.Grade.DOCUMENTED})
    item.refresh_from_db()
    assert item.grade == Evidence.Grade.DOCUMENTED
    assert AuditEvent.objects.filter(action="return.evidence_graded", actor=olivia_officer).exists()
    with pytest.raises(EvidenceError):
        grade_evidence(item, grade="excellent", by=olivia_officer)


def test_the_supplier_uploads_through_the_page(client, draft, cara_contributor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cara_contributor)
    client.post(
        f"/returns/{draft.pk}/evidence/",
        {"file": upload("cert.pdf", PDF), "description": "Apprenticeship agreement"},
    )
    assert draft.evidence.get().description == "Apprenticeship agreement"
    page = client.post(
        f"/returns/{draft.pk}/evidence/",
        {"file": upload("virus.pdf", b"MZ" + b"\x00" * 64)},
        follow=True,
    )
    assert "evidence must be PDF" in page.content.decode()
