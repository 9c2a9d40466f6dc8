"""Evidence kept in an S3-compatible object store (a real one: moto's server on a local port):
uploads land in the bucket, never on the server's disk, and are read back only through the same
access-checked download, never by a bucket address."""

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socialledger.returns.evidence import add_evidence, remove_evidence
from socialledger.returns.models import Status
from socialledger.returns.tests.factories import make_return

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def draft(supplier, contract):
    return make_return(supplier, [(contract, "jobs-created", 4)], status=Status.DRAFT)


def stored_names(bucket) -> list[str]:
    return [stored.key for stored in bucket.objects.all()]


def test_caras_upload_lands_in_the_bucket_not_on_the_servers_disk(
    client, draft, cara_contributor, object_storage, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cara_contributor)
    client.post(
        f"/returns/{draft.pk}/evidence/",
        {"file": SimpleUploadedFile("cert.pdf", PDF), "description": "Apprenticeship agreement"},
    )
    item = draft.evidence.get()
    assert stored_names(object_storage) == [item.file.name]
    assert item.file.name.startswith("evidence/")
    assert object_storage.Object(item.file.name).get()["Body"].read() == PDF
    assert not any(tmp_path.iterdir())


def test_only_those_who_may_see_the_return_download_it_and_through_the_app(
    client, draft, cara_contributor, olivia_officer, mo_member_viewer, otto_outsider, object_storage
):
    item = add_evidence(draft, by=None, upload=SimpleUploadedFile("payroll.pdf", PDF))
    for person, status in [(mo_member_viewer, 404), (otto_outsider, 404), (olivia_officer, 200)]:
        client.force_login(person)
        assert client.get(f"/evidence/{item.pk}/").status_code == status
    answer = client.get(f"/evidence/{item.pk}/")
    assert answer["Content-Disposition"] == 'attachment; filename="payroll.pdf"'
    assert b"".join(answer.streaming_content) == PDF
    assert object_storage.name not in answer.get("Location", "")


def test_the_bucket_gives_nothing_to_someone_without_its_keys(draft, object_storage, s3_server):
    item = add_evidence(draft, by=None, upload=SimpleUploadedFile("payroll.pdf", PDF))
    unsigned = httpx.get(f"{s3_server}/{object_storage.name}/{item.file.name}")
    assert unsigned.status_code == 403
    assert PDF not in unsigned.content


def test_withdrawn_evidence_leaves_the_bucket(draft, cara_contributor, object_storage):
    item = add_evidence(draft, by=None, upload=SimpleUploadedFile("payroll.pdf", PDF))
    remove_evidence(item, by=cara_contributor)
    assert stored_names(object_storage) == []


def test_two_files_of_the_same_name_never_overwrite_each_other(draft, object_storage):
    first = add_evidence(draft, by=None, upload=SimpleUploadedFile("a.pdf", PDF))
    second = add_evidence(draft, by=None, upload=SimpleUploadedFile("a.pdf", PDF + b"%2"))
    assert first.file.name != second.file.name
    assert len(stored_names(object_storage)) == 2
