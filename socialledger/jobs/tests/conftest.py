"""Helpers for the job tests: files uploaded on the page, and a provider officer signed in."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from socialledger.imports.tests.helpers import csv_text

GOOD_ROWS = (
    "DEC,DEC-001,CRS,LFH,jobs-created,2023-24,4",
    "DEC,DEC-001,CRS,LFH,jobs-sustained,2023-24,11",
    "DEC,DEC-001,CRS,LFH,apprenticeships-created,2022-23,2",
)


@pytest.fixture(autouse=True)
def files_in_a_folder_of_their_own(settings, tmp_path):
    """Uploads and progress side files go to this test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path


@pytest.fixture
def ledger(contract):
    return contract.framework.provider


@pytest.fixture
def olivia(client, olivia_officer):
    client.force_login(olivia_officer)
    return client


def figures_file(*rows: str, name: str = "figures.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_text(*rows).encode(), content_type="text/csv")


def upload(client, file, kind: str = "figures", **options):
    """Post a file on the upload page; the answer after following the redirect."""
    return client.post("/jobs/", {"kind": kind, "file": file, **options}, follow=True)
