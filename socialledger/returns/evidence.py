"""Evidence behind returns: files checked by their content, links, and officers' grades."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from socialledger.audit.actions import record
from socialledger.returns.actions import TransitionError
from socialledger.returns.models import Entry, Evidence, Return

# What may be uploaded, by the type read from the file's first bytes (never from its name).
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "text/csv": "csv",
}
ALLOWED_WORDS = "PDF, PNG, JPEG, GIF, WebP, Excel (.xlsx) or CSV"
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f\"\\\\/]")
# Text that opens like markup (after any byte-order mark and blank space), or carries a script.
_MARKUP = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*<|<\s*(?:script|html|svg|iframe|object|embed)\b", re.IGNORECASE
)


class EvidenceError(ValueError):
    """A file or link that cannot be accepted; the message says why and what would be."""


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str


def sniff(upload: UploadedFile) -> Sniffed:
    """The file's real type, from its content; CSV is recognised as readable text."""
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ALLOWED_TYPES:
        return Sniffed(kind.mime, ALLOWED_TYPES[kind.mime])
    if kind is None and _is_text(head):
        if _MARKUP.search(head[:1024]):
            # HTML, SVG or XML would run scripts if a browser ever opened it; not evidence.
            raise EvidenceError(
                f"This file is a web page or drawing (HTML, SVG or XML); evidence must be "
                f"{ALLOWED_WORDS}."
            )
        return Sniffed("text/csv", "csv")
    found = kind.mime if kind else "an unrecognised kind of file"
    raise EvidenceError(f"This file is {found}; evidence must be {ALLOWED_WORDS}.")


def _is_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            head.decode(encoding)
            return True
        except UnicodeDecodeError:
            continue
    return False


def clean_name(name: str) -> str:
    """The name a person gave a file, reduced to its last part with nothing unsafe in it."""
    last = re.split(r"[\\/]", name or "")[-1]
    cleaned = _UNSAFE_IN_NAME.sub("", last).strip().lstrip(".")
    return cleaned[:150] or "evidence"


def named_for(name: str, extension: str) -> str:
    """The name with the ending of the type the file really is (report.html, found to be CSV,
    is downloaded as report.csv), so nothing opens it as something else."""
    stem, dot, ending = name.rpartition(".")
    if dot and ending.lower() in {extension, *_SAME_TYPE.get(extension, ())}:
        return name
    return f"{stem if dot and stem else name}.{extension}"


_SAME_TYPE = {"jpg": ("jpeg",), "csv": ("txt",)}


@transaction.atomic
def add_evidence(
    ret: Return,
    *,
    by,
    upload: UploadedFile | None = None,
    link: str = "",
    entry: Entry | None = None,
    description: str = "",
) -> Evidence:
    """Attach a file or a link to a return (or one of its entries) while it is editable."""
    ret.refresh_from_db(fields=["status"])
    if not ret.is_editable:
        state = ret.get_status_display().lower()
        raise TransitionError(
            f"Evidence can be added to a draft or queried return, not a {state} one."
        )
    if entry is not None and entry.submission_id != ret.pk:
        raise EvidenceError("That figure is not in this return.")
    if bool(upload) == bool(link.strip()):
        raise EvidenceError("Give either a file or a link.")
    evidence = Evidence(
        submission=ret, entry=entry, description=description.strip()[:300], added_by=by
    )
    if upload:
        _attach_file(evidence, upload)
    else:
        evidence.link = _checked_link(link)
    evidence.full_clean(exclude=["file"])
    evidence.save()
    record(ret, "return.evidence_added", by=by, provider=ret.provider, after=_describe(evidence))
    return evidence


def _attach_file(evidence: Evidence, upload: UploadedFile) -> None:
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        limit = settings.EVIDENCE_MAX_BYTES // (1024 * 1024)
        raise EvidenceError(
            f"This file is {upload.size / 1048576:.1f} MB; the limit is {limit} MB."
        )
    if upload.size == 0:
        raise EvidenceError("This file is empty.")
    kind = sniff(upload)
    evidence.original_name = named_for(clean_name(upload.name), kind.extension)
    evidence.content_type, evidence.size = kind.content_type, upload.size
    # Stored under a name of our own, so nothing in the person's file name reaches the disk.
    evidence.file.save(f"{uuid.uuid4().hex}.{kind.extension}", upload, save=False)


def _checked_link(link: str) -> str:
    cleaned = link.strip()
    if not cleaned.lower().startswith(("https://", "http://")):
        raise EvidenceError("A link must start with https:// (or http://).")
    return cleaned


@transaction.atomic
def grade_evidence(evidence: Evidence, *, grade: str, by) -> Evidence:
    """An officer records how strong the evidence is."""
    if grade not in Evidence.Grade.values:
        raise EvidenceError("Choose a grade from the list.")
    before = {"grade": evidence.grade}
    evidence.grade = grade
    evidence.save(update_fields=["grade"])
    ret = evidence.submission
    record(
        ret,
        "return.evidence_graded",
        by=by,
        provider=ret.provider,
        before=before,
        after=_describe(evidence),
    )
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence, *, by) -> None:
    """The supplier withdraws evidence while the return is still theirs to change."""
    ret = evidence.submission
    ret.refresh_from_db(fields=["status"])
    if not ret.is_editable:
        raise TransitionError(
            "Evidence can only be removed while the return is a draft or queried."
        )
    record(ret, "return.evidence_removed", by=by, provider=ret.provider, before=_describe(evidence))
    if evidence.file:
        evidence.file.delete(save=False)
    evidence.delete()


def _describe(evidence: Evidence) -> dict:
    return {
        "evidence": evidence.pk,
        "file": evidence.original_name,
        "link": evidence.link,
        "entry": evidence.entry_id,
        "grade": evidence.grade,
        "size": evidence.size,
    }
