"""Each published report carries its provider's audit chain head at publication, in its page,
PDF and JSON. Rewriting the end of the log together with its stored head passes the log's own
check, but not `socialledger audit verify --against` a copy someone kept."""

import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from socialledger.audit.actions import record
from socialledger.audit.models import AuditChain, AuditEvent, chain_key, verify_chain
from socialledger.audit.seals import seals_in
from socialledger.lib.periods import FinancialYear
from socialledger.reports.actions import publish_report
from socialledger.returns.tests.factories import make_return

PUBLIC = "/public/NWPP/2023-24/"


@pytest.fixture
def published(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 40)])
    return publish_report(provider, FinancialYear(2023), by=None)


@pytest.fixture
def kept_copies(client, published, tmp_path):
    """The page, the PDF and the JSON as a reader saved them on the day."""
    copies = {}
    for name, path in [
        ("page.html", PUBLIC),
        ("report.pdf", PUBLIC + "report.pdf"),
        ("report.json", PUBLIC + "report.json"),
    ]:
        answer = client.get(path)
        assert answer.status_code == 200
        copies[name] = tmp_path / name
        copies[name].write_bytes(answer.content)
    return copies


def rewrite_the_tail(key: str, from_sequence: int) -> None:
    """What someone who can write the database could do: change events from one place on,
    recompute every hash after it, and move the stored head to match."""
    previous = AuditEvent.objects.get(chain=key, sequence=from_sequence - 1).hash
    for event in AuditEvent.objects.filter(chain=key, sequence__gte=from_sequence).order_by(
        "sequence"
    ):
        event.note = "quietly rewritten"
        event.previous_hash = previous
        event.hash = event.content_hash()
        AuditEvent.objects.filter(pk=event.pk).update(
            note=event.note, previous_hash=event.previous_hash, hash=event.hash
        )
        previous = event.hash
    AuditChain.objects.filter(key=key).update(head_hash=previous)


def test_every_published_format_carries_the_head_at_publication(published, kept_copies, provider):
    head = published.seal
    assert head.chain == chain_key(provider.pk)
    # Taken before the publication's own event: the log as the figures were read from it.
    assert head.length == AuditChain.objects.get(key=head.chain).length - 1
    for copy in kept_copies.values():
        assert seals_in(copy.read_bytes()) == [head]


def test_the_page_says_so_in_words(client, published):
    page = client.get(PUBLIC).content.decode()
    assert f"the audit log held {published.seal.length} events" in page
    assert published.seal.head_hash not in page.replace(f'"{published.seal.text}"', "")


def test_an_untouched_log_holds_every_kept_copy(kept_copies, provider, capsys):
    record(provider, "provider.noted", by=None, provider=provider)  # the log grows on
    for copy in kept_copies.values():
        call_command("audit", "verify", "--against", str(copy))
    assert "The log holds all 1 published audit head(s)." in capsys.readouterr().out


def test_a_rewritten_tail_passes_the_logs_own_check_but_not_a_kept_copy(
    kept_copies, published, provider, capsys
):
    record(provider, "provider.noted", by=None, provider=provider)
    key = published.seal.chain
    rewrite_the_tail(key, from_sequence=published.seal.length - 2)
    assert verify_chain(key) is None  # the log and its stored head agree with each other
    for copy in kept_copies.values():
        with pytest.raises(CommandError, match="do not match"):
            call_command("audit", "verify", "--against", str(copy))
    assert f"event {published.seal.length} is not the one there" in capsys.readouterr().err


def test_a_log_cut_back_before_the_publication_is_caught(kept_copies, published):
    key = published.seal.chain
    AuditEvent.objects.filter(chain=key, sequence__gte=published.seal.length).delete()
    last = AuditEvent.objects.filter(chain=key).order_by("-sequence").first()
    AuditChain.objects.filter(key=key).update(length=last.sequence, head_hash=last.hash)
    assert verify_chain(key) is None
    with pytest.raises(CommandError, match="do not match"):
        call_command("audit", "verify", "--against", str(kept_copies["report.json"]))


def test_with_a_signing_key_a_head_made_up_afresh_is_refused(
    provider, supplier, contract, settings, tmp_path, capsys
):
    settings.AUDIT_SIGNING_KEY = "kept-outside-the-database"
    make_return(supplier, [(contract, "jobs-created", 40)])
    seal = publish_report(provider, FinancialYear(2023), by=None).seal
    assert len(seal.signature) == 64
    kept = tmp_path / "kept.txt"
    kept.write_text(seal.text)
    call_command("audit", "verify", "--against", str(kept))
    assert "signature checked" in capsys.readouterr().out
    forged = seal.text.replace(seal.signature, "0" * 64)
    kept.write_text(forged)
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--against", str(kept))
    assert "signature does not match" in capsys.readouterr().err


def test_a_kept_copy_can_be_read_from_an_address(kept_copies, capsys):
    folder = kept_copies["report.json"].parent

    class Quiet(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)  # any free port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_address[1]}/report.json"
    try:
        call_command("audit", "verify", "--against", address)
    finally:
        server.shutdown()
        server.server_close()
    assert "still holds it" in capsys.readouterr().out


def test_a_file_without_a_head_is_named(tmp_path, db):
    plain = tmp_path / "notes.txt"
    plain.write_text("nothing here")
    with pytest.raises(CommandError, match="holds no audit head"):
        call_command("audit", "verify", "--against", str(plain))
