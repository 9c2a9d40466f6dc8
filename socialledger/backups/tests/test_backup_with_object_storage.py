"""Evidence kept in an object store (a real S3-compatible server: moto's, on a local port) is in
the backup, and a restore puts exactly the backup's files back in the instance's bucket, through
the real `socialledger backup` and `restore` commands on either database."""

import tarfile
import uuid

import boto3
import pytest

from conftest import S3_KEYS
from socialledger.lib.instances import new_instance

pytestmark = pytest.mark.slow

STORE_EVIDENCE = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
print(default_storage.save("evidence/2026/12/kept.pdf", ContentFile(b"%PDF-1.4 kept")))
"""


def new_bucket(s3_server: str):
    s3 = boto3.resource(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-west-2",
        aws_access_key_id=S3_KEYS["SOCIALLEDGER_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["SOCIALLEDGER_S3_SECRET_ACCESS_KEY"],
    )
    bucket = s3.Bucket(f"backup-{uuid.uuid4().hex[:12]}")
    bucket.create(CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    return bucket


def storage_env(s3_server: str, bucket) -> dict[str, str]:
    return {
        "SOCIALLEDGER_S3_BUCKET": bucket.name,
        "SOCIALLEDGER_S3_ENDPOINT_URL": s3_server,
        "SOCIALLEDGER_S3_REGION": "eu-west-2",
        **S3_KEYS,
    }


def test_object_stored_evidence_is_backed_up_and_restored_into_another_bucket(tmp_path, s3_server):
    original, restored = new_instance(tmp_path / "original"), new_instance(tmp_path / "restored")
    first, second = new_bucket(s3_server), new_bucket(s3_server)
    try:
        original.run("migrate", "--noinput", **storage_env(s3_server, first))
        stored = original.run(
            "shell", "--no-imports", "-c", STORE_EVIDENCE, **storage_env(s3_server, first)
        ).stdout.strip()
        archive = tmp_path / "ledger.tar.gz"
        made = original.run("backup", str(archive), **storage_env(s3_server, first)).stdout
        assert "1 evidence file(s)" in made
        with tarfile.open(archive) as opened:
            assert f"media/{stored}" in opened.getnames()
        # The restored instance's bucket holds a file the backup never had: it goes.
        second.put_object(Key="evidence/2020/01/stale.pdf", Body=b"%PDF stale")
        restored.run("restore", str(archive), **storage_env(s3_server, second))
        assert [item.key for item in second.objects.all()] == [stored]
        assert second.Object(stored).get()["Body"].read() == b"%PDF-1.4 kept"
        assert not (restored.folder / "media").exists()
    finally:
        original.remove()
        restored.remove()
