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
