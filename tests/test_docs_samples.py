"""The sample files in docs/ do what docs/import-format.md says they do."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from socialledger.demo.builder import build_demo
from socialledger.returns.models import Entry

SAMPLES = Path(__file__).resolve().parent.parent / "docs" / "samples"


@pytest.fixture
def demo(db):
    return build_demo()


def test_the_sample_imports_into_the_demo(demo, capsys):
    before = Entry.objects.count()
    call_command("import", str(SAMPLES / "interchange-sample.csv"))
    assert Entry.objects.count() == before + 10
    assert "Entries: 10 added" in capsys.readouterr().out


def test_the_broken_sample_is_refused_with_the_problems_the_docs_show(demo, capsys):
    documented = (SAMPLES.parent / "import-format.md").read_text()
    before = Entry.objects.count()
    with pytest.raises(CommandError, match="10 problem"):
        call_command("import", str(SAMPLES / "interchange-broken.csv"))
    for line in capsys.readouterr().err.splitlines():
        assert line in documented
    assert Entry.objects.count() == before


def test_the_opening_balance_sample_imports(demo):
    call_command("import", str(SAMPLES / "opening-balances.csv"))
    assert demo.opening_balances.count() == 2


def test_the_ocds_sample_imports_into_the_demo_and_again_changes_nothing(demo, capsys):
    from socialledger.contracts.models import Contract

    call_command("import", str(SAMPLES / "ocds-framework.json"), "--create-missing")
    assert "Contracts: 1 created" in capsys.readouterr().out
    contract = Contract.objects.get(ocid="ocds-b5fd17-7c1e2a")
    assert (contract.reference, contract.supplier.name) == (
        "KRF-MHA-001",
        "Fellside Energy Homes Ltd",
    )
    call_command("import", str(SAMPLES / "ocds-framework.json"))
    assert "1 unchanged" in capsys.readouterr().out


def test_the_set_up_sample_imports_into_an_empty_provider(db, capsys):
    from socialledger.contracts.models import Contract
    from socialledger.organisations.tests.factories import make_provider

    make_provider("NWPP")
    call_command("import", str(SAMPLES / "setup-sample.csv"))
    assert "contracts: 2 new" in capsys.readouterr().out
    assert Contract.objects.count() == 2


def test_the_broken_set_up_sample_is_refused_with_the_problems_the_docs_show(db, capsys):
    from socialledger.contracts.models import Framework
    from socialledger.organisations.models import Organisation
    from socialledger.organisations.tests.factories import make_provider

    make_provider("NWPP")
    documented = (SAMPLES.parent / "setup-file.md").read_text()
    with pytest.raises(CommandError, match="8 problem"):
        call_command("import", str(SAMPLES / "setup-broken.csv"))
    for line in capsys.readouterr().err.splitlines():
        assert line in documented
    assert not Framework.objects.exists()
    assert Organisation.objects.count() == 1  # the provider alone
