"""`socialledger rebuild_summaries`: checks the report summaries against the entries, and works
them out again from scratch when they were changed behind the product's back."""

from io import StringIO

from django.core.management import call_command

from socialledger.reports.models import ContractFigure
from socialledger.returns.tests.factories import make_return


def _run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("rebuild_summaries", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_check_says_the_summaries_are_true_when_they_are(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 4)])
    out, _err = _run("--check")
    assert "true to the entries" in out


def test_it_finds_and_mends_summaries_changed_behind_its_back(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 4)])
    ContractFigure.objects.update(total=99)
    out, err = _run("--check")
    assert "2 difference(s)" in out
    assert "contract" in err
    _out, progress = _run()
    assert "Summaries of" in progress
    assert "done" in progress
    assert "true to the entries" in _run("--check")[0]


def test_many_changes_at_once_are_written_in_bulk_and_stay_true(
    provider, supplier, contract, olivia_officer, monkeypatch
):
    # Past this many rows PostgreSQL copies the changes in and adds them in one statement (a
    # rebuild writes hundreds of thousands); lowered here so that every write goes that way.
    monkeypatch.setattr("socialledger.reports.summaries.COPIED_FROM", 1)
    from socialledger.reports.summaries import differences
    from socialledger.returns.actions import reopen_return

    verified = make_return(
        supplier,
        [
            (contract, "jobs-created", 4),
            (contract, "apprenticeships-created", 2, {"trade": "plumbing"}),
        ],
    )
    assert differences(provider) == []
    reopen_return(verified, by=olivia_officer, note="Wrong year")  # every row goes back down
    assert differences(provider) == []
    make_return(supplier, [(contract, "jobs-created", 3)], year=verified.year.next)
    _run()
    assert differences(provider) == []
    assert "true to the entries" in _run("--check")[0]
