"""Hostile and broken return workbooks: zip bombs (a small file that unpacks to far more, whether
its archive admits it or lies about its sizes), links to other files, truncated or corrupted
files, files that are no zip or hold no workbook, thousands of columns, too many rows, and any
value in any cell. Each is imported whole or refused with a message a person can act on, before
anything is written; on the web the page says so (400), never a server error.
"""

import io
import math
import struct
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialledger.imports.actions import import_return_workbook, return_workbook
from socialledger.imports.reading import ImportRefused
from socialledger.imports.tests.helpers import (
    ledger_counts,
    rolled_back,
    whole_or_refused_cleanly,
)
from socialledger.imports.tests.test_return_workbook import book_of, headings, ret  # noqa: F401

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MB = 1024 * 1024


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("return.xlsx", content)


def refusal(submission, content: bytes) -> str:
    """The problems, in words, of importing `content`; asserts that nothing was written."""
    before = ledger_counts()
    with pytest.raises(ImportRefused) as refused:
        import_return_workbook(submission, upload(content), by=None)
    assert ledger_counts() == before
    return " ".join(str(problem) for problem in refused.value.problems)


def archive(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in parts.items():
            book.writestr(name, content)
    return out.getvalue()


def parts_of(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return {name: book.read(name) for name in book.namelist()}


def lying_about_sizes(content: bytes, declared: int) -> bytes:
    """The archive with every part claiming to unpack to `declared` bytes, whatever it holds."""
    data = bytearray(content)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.find(signature)
        while start != -1:
            struct.pack_into("<I", data, start + offset, declared)
            start = data.find(signature, start + 4)
    return bytes(data)


@pytest.fixture
def workbook(ret):  # noqa: F811 - the fixture imported above
    return return_workbook(ret)


def test_a_zip_bomb_is_refused_from_the_sizes_its_archive_declares(ret, workbook, settings):  # noqa: F811
    settings.WORKBOOK_MAX_UNPACKED_BYTES = 1 * MB
    bomb = archive({**parts_of(workbook), "xl/media/padding.bin": b"\0" * (5 * MB)})
    assert len(bomb) < 100_000
    assert "would unpack to more than 1.0 MB" in refusal(ret, bomb)


def test_a_zip_bomb_that_lies_about_its_sizes_is_refused_before_parsing(ret, workbook):  # noqa: F811
    bomb = lying_about_sizes(archive({**parts_of(workbook), "xl/big.xml": b"\0" * (5 * MB)}), 100)
    assert "not a readable Excel workbook" in refusal(ret, bomb)


def test_a_workbook_linking_to_other_files_is_refused(ret, workbook):  # noqa: F811
    linked = archive(
        {
            **parts_of(workbook),
            "xl/externalLinks/externalLink1.xml": b"<externalLink/>",
            "xl/externalLinks/_rels/externalLink1.xml.rels": b"file:///C:/secret.xlsx",
        }
    )
    assert "links to other files" in refusal(ret, linked)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "not a readable Excel workbook"),
        (b"just some text", "not a readable Excel workbook"),
        (archive({"notes.txt": b"hello"}), "no workbook inside"),
        (archive({f"part{n}.xml": b"" for n in range(10_001)}), "10,001 parts"),
    ],
)
def test_a_file_that_is_no_workbook_is_refused_clearly(ret, content, expected):  # noqa: F811
    assert expected in refusal(ret, content)


def test_a_sheet_with_thousands_of_columns_is_refused(ret):  # noqa: F811
    book = book_of(ret)
    sheet = book["Figures"]
    for column in range(1, 2001):
        sheet.cell(1, column + 20, f"extra {column}")
    out = io.BytesIO()
    book.save(out)
    assert "columns; an import has at most 500" in refusal(ret, out.getvalue())


@EXAMPLES
@given(cut=st.floats(0.0, 0.999))
def test_a_truncated_workbook_is_refused(ret, workbook, cut):  # noqa: F811
    with rolled_back():
        assert refusal(ret, workbook[: int(len(workbook) * cut)])


@EXAMPLES
@given(flips=st.lists(st.tuples(st.floats(0, 0.999), st.integers(0, 255)), min_size=1))
def test_a_corrupted_workbook_is_imported_whole_or_refused_cleanly(ret, workbook, flips):  # noqa: F811
    damaged = bytearray(workbook)
    for where, value in flips:
        damaged[int(where * len(damaged))] = value
    with rolled_back():
        whole_or_refused_cleanly(
            lambda: import_return_workbook(ret, upload(bytes(damaged)), by=None)
        )


# Text a workbook can hold: XML has no place for control characters, so no spreadsheet writes them.
writable = st.characters(exclude_categories=("Cc", "Cs"))
cell_values = st.one_of(
    st.sampled_from(["=1+2", "=SUM(A1:A3)", "+4", "-4", "@x", '=WEBSERVICE("http://x")']),
    st.text(writable, max_size=30),
    st.text(writable, min_size=301, max_size=2000),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.none(),
)


@EXAMPLES
@given(values=st.lists(cell_values, min_size=1, max_size=12))
def test_any_values_in_the_figures_sheet_are_imported_whole_or_refused_cleanly(ret, values):  # noqa: F811
    book = book_of(ret)
    sheet = book["Figures"]
    columns = list(headings(sheet).values())
    for index, value in enumerate(values):
        if isinstance(value, float) and not math.isfinite(value):
            value = str(value)  # openpyxl cannot write NaN or infinity as numbers
        sheet.cell(2 + index // len(columns), columns[index % len(columns)], value)
    out = io.BytesIO()
    book.save(out)
    with rolled_back():
        whole_or_refused_cleanly(
            lambda: import_return_workbook(ret, upload(out.getvalue()), by=None)
        )


@pytest.mark.parametrize(
    "kind", ["bomb", "lying bomb", "external links", "truncated", "no zip", "too large"]
)
def test_the_upload_page_answers_every_hostile_workbook_with_its_reason(
    client,
    ret,  # noqa: F811
    workbook,
    cara_contributor,
    settings,
    kind,
):
    settings.WORKBOOK_MAX_UNPACKED_BYTES = 2 * MB
    files = {
        "bomb": lambda: archive({**parts_of(workbook), "pad.bin": b"\0" * (3 * MB)}),
        "lying bomb": lambda: lying_about_sizes(archive({"xl/workbook.xml": b"\0" * MB}), 10),
        "external links": lambda: archive({**parts_of(workbook), "xl/externalLinks/a.xml": b""}),
        "truncated": lambda: workbook[: len(workbook) // 2],
        "no zip": lambda: b"\x00" * 1000,
        "too large": lambda: workbook,
    }
    if kind == "too large":
        settings.IMPORT_MAX_BYTES = 1000
    client.force_login(cara_contributor)
    before = ledger_counts()
    answer = client.post(
        f"/returns/{ret.pk}/workbook/",
        {"workbook": SimpleUploadedFile("r.xlsx", files[kind]())},
        follow=True,
    )
    page = answer.content.decode()
    # Too large, it is refused before it is stored; else the job reading it refuses it.
    assert ("Nothing was saved" if kind == "too large" else "nothing was written") in page
    assert ledger_counts() == before


@pytest.mark.parametrize("command", ["import", "import_values"])
def test_the_commands_refuse_a_zip_bomb_with_a_message(
    ret,  # noqa: F811
    workbook,
    tmp_path,
    settings,
    command,
):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.WORKBOOK_MAX_UNPACKED_BYTES = 1 * MB
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(archive({**parts_of(workbook), "pad.bin": b"\0" * (3 * MB)}))
    before = ledger_counts()
    extra = ["--code=t", "--name=T"] if command == "import_values" else []
    with pytest.raises(CommandError, match="nothing was written"):
        call_command(command, str(bomb), *extra, stderr=io.StringIO())
    assert ledger_counts() == before
