"""Heads held elsewhere: each published report carries its provider's audit chain head at
publication, written as a short line (a "seal") that `socialledger audit verify --against`
finds again in a saved page, PDF or JSON file. Someone who can write the database can rewrite
the end of the log and its stored head together; they cannot change the copies others kept.

With SOCIALLEDGER_AUDIT_SIGNING_KEY set (a key kept outside the database), each seal is also
signed, so a head cannot be made up afresh even by someone holding the database.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import zlib
from dataclasses import dataclass

from django.conf import settings

from socialledger.audit.models import AuditChain, AuditEvent, chain_head, verify_chain

MARK = "socialledger-audit-head"
_SEAL = re.compile(
    rb"socialledger-audit-head/1/([a-z0-9-]{1,40})/(\d{1,19})/([0-9a-f]{64}|-)(?:/([0-9a-f]{64}))?"
)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


@dataclass(frozen=True)
class Seal:
    """A chain's length and last hash at one moment, perhaps signed."""

    chain: str
    length: int
    head_hash: str
    signature: str = ""

    @property
    def text(self) -> str:
        """The seal as one line, as it is printed into every published format."""
        parts = [MARK, "1", self.chain, str(self.length), self.head_hash or "-"]
        return "/".join([*parts, self.signature] if self.signature else parts)

    @property
    def short_hash(self) -> str:
        return self.head_hash[:16]

    def as_data(self) -> dict:
        return {
            "chain": self.chain,
            "length": self.length,
            "hash": self.head_hash,
            "signature": self.signature,
            "seal": self.text,
        }


def seal_now(key: str) -> Seal:
    """The chain's head as it stands, signed when a signing key is configured."""
    length, head_hash = chain_head(key)
    return Seal(key, length, head_hash, _signature(key, length, head_hash))


def seal_from_data(data: dict | None) -> Seal | None:
    """A seal kept as data (a published report's), or None when none was kept."""
    if not data:
        return None
    return Seal(data["chain"], data["length"], data["hash"], data.get("signature", ""))


def _signature(key: str, length: int, head_hash: str) -> str:
    secret = settings.AUDIT_SIGNING_KEY
    if not secret:
        return ""
    message = f"{MARK}/1/{key}/{length}/{head_hash}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def seals_in(content: bytes) -> list[Seal]:
    """Every seal written in a page, a JSON file or a PDF (whose metadata is compressed)."""
    found = list(_SEAL.finditer(content))
    for stream in _STREAM.finditer(content):
        try:
            found += _SEAL.finditer(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue  # an image or font, not text
    seals = {
        Seal(
            chain.decode(),
            int(length),
            "" if head == b"-" else head.decode(),
            (signature or b"").decode(),
        )
        for chain, length, head, signature in (match.groups() for match in found)
    }
    return sorted(seals, key=lambda seal: (seal.chain, seal.length))


def check_seal(seal: Seal) -> str | None:
    """What is wrong with the log against a head kept elsewhere, in words; None if the log still
    holds, unchanged, every event it held when the seal was made."""
    if (
        seal.signature
        and settings.AUDIT_SIGNING_KEY
        and not hmac.compare_digest(
            seal.signature, _signature(seal.chain, seal.length, seal.head_hash)
        )
    ):
        return "its signature does not match this instance's signing key: it was not made here"
    problem = verify_chain(seal.chain)
    if problem:
        return problem
    if seal.length == 0:
        return None
    known = AuditChain.objects.filter(key=seal.chain).first()
    if known is None or known.length < seal.length:
        held = known.length if known else 0
        return (
            f"the log holds {held} events but held {seal.length} when this was published: "
            "events were deleted and the log rewritten"
        )
    event = AuditEvent.objects.filter(chain=seal.chain, sequence=seal.length).first()
    if event is None or event.hash != seal.head_hash:
        return (
            f"event {seal.length} is not the one there when this was published: the log was "
            f"rewritten from event {seal.length} or earlier"
        )
    return None
