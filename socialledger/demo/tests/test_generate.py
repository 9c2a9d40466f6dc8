"""`socialledger generate`: a synthetic ledger whose reports add up, made from one seed."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from socialledger.organisations.models import Organisation
from socialledger.reports.queries import Scope, annual_report, latest_year
from socialledger.reports.summaries import differences
from socialledger.returns.models import Entry


def _generate(entries: int, **options) -> None:
    call_command("generate", entries=entries, contracts=90, **options)


def test_it_fills_an_empty_database_with_about_the_entries_asked_for(db):
    _generate(3000)
    assert 2900 <= Entry.objects.count() <= 3100
    assert Organisation.objects.providers().count() == 3


def test_its_summaries_equal_its_entries_and_its_reports_add_up(db):
    _generate(3000)
    for provider in Organisation.objects.providers():
        assert differences(provider) == []
        scope = Scope(provider)
        year = latest_year(scope)
        if year is not None:
            annual_report(scope, year)  # raises if any part does not add up


def test_it_records_people_some_of_them_twice_in_a_year(db):
    _generate(3000)
    people = Entry.objects.exclude(person_key="")
    assert people.count() > Entry.objects.count() / 2
    assert people.values("person_key").distinct().count() < people.count()


def test_the_same_seed_gives_the_same_ledger(db):
    made = []
    for _ in range(2):
        with transaction.atomic():
            _generate(1500, seed=3)
            made.append(
                list(
                    Entry.objects.order_by("pk").values_list(
                        "contract__reference", "measure__code", "quantity", "person_key"
                    )
                )
            )
            transaction.set_rollback(True)
    assert made[0] == made[1]


def test_it_refuses_a_database_that_already_has_providers(provider):
    with pytest.raises(CommandError, match="already has providers"):
        _generate(100)
