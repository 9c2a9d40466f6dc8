"""Choosing a value set: audited, dated, never back-dated, and only a set the provider may use."""

from datetime import timedelta

import pytest
from django.utils import timezone

from socialledger.audit.models import AuditEvent
from socialledger.valuation.actions import ChoiceError, choose_value_set
from socialledger.valuation.models import ValueSet, ValueSetChoice
from socialledger.valuation.tests.factories import make_value_set, value


@pytest.fixture
def open_set(db):
    return ValueSet.objects.shipped().get(code="open-default", version=1)


def test_it_records_the_choice_with_who_and_why(provider, open_set, olivia_officer):
    choice = choose_value_set(provider, open_set, by=olivia_officer, reason="Open values only")
    assert ValueSetChoice.objects.in_force(provider) == choice
    event = AuditEvent.objects.about(choice).get()
    assert event.action == "value_set.chosen"
    assert event.actor == olivia_officer
    assert event.note == "Open values only"


def test_a_provider_that_has_not_chosen_it_has_none_in_force(provider):
    assert ValueSetChoice.objects.in_force(provider) is None


def test_it_refuses_a_choice_without_a_reason(provider, open_set):
    with pytest.raises(ChoiceError, match="reason"):
        choose_value_set(provider, open_set, by=None, reason=" ")


def test_it_refuses_the_set_already_in_force(provider, open_set):
    choose_value_set(provider, open_set, by=None, reason="First")
    with pytest.raises(ChoiceError, match="already in force"):
        choose_value_set(provider, open_set, by=None, reason="Again")


def test_it_refuses_another_providers_own_set(provider, other_provider):
    theirs = make_value_set(other_provider, {"jobs-created": value(100)})
    with pytest.raises(ChoiceError, match="another provider"):
        choose_value_set(provider, theirs, by=None, reason="Borrowing")


def test_it_refuses_to_date_a_choice_before_the_one_in_force(provider, open_set):
    choose_value_set(provider, open_set, by=None, reason="First")
    mine = make_value_set(provider, {"jobs-created": value(100)})
    with pytest.raises(ChoiceError, match="cannot be dated before"):
        choose_value_set(
            provider, mine, by=None, reason="Back-dated", when=timezone.now() - timedelta(days=1)
        )
