"""Reminders: when a round opens, 14 and 3 days before it closes, and when overdue; never twice."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.contracts.models import Spend
from socialledger.returns.actions import set_nil_return, submit_return
from socialledger.rounds.actions import open_round, send_reminders
from socialledger.rounds.models import Reminder

OPENS, CLOSES = date(2025, 5, 1), date(2025, 6, 30)


@pytest.fixture
def round_(provider, contract, cara_contributor):
    Spend.objects.create(contract=contract, period_end=date(2025, 3, 31), amount=Decimal(200_000))
    make_user("viv", contract.supplier, Role.SUPPLIER_VIEWER)  # viewers get no reminders
    return open_round(
        provider,
        name="Annual return 2024-25",
        period_start=date(2024, 4, 1),
        period_end=date(2025, 3, 31),
        opens_on=OPENS,
        closes_on=CLOSES,
        by=None,
    )


@pytest.mark.parametrize(
    ("day", "kind", "subject"),
    [
        (OPENS, "opened", "is open"),
        (CLOSES - timedelta(days=14), "due-14", "is due on 30 June"),
        (CLOSES - timedelta(days=3), "due-3", "is due on 30 June"),
        (CLOSES + timedelta(days=1), "overdue", "is overdue"),
    ],
)
def test_the_reminder_due_on_a_day_is_sent_to_the_suppliers_contributors(
    round_, day, kind, subject
):
    assert send_reminders(today=day, base_url="https://ledger.example") == 1
    assert mail.outbox[0].to == ["cara@example.org"]
    assert subject in mail.outbox[0].subject
    assert f"https://ledger.example/returns/{round_.returns.get().pk}/" in mail.outbox[0].body
    assert Reminder.objects.get().kind == kind


def test_running_again_sends_nothing_twice(round_):
    send_reminders(today=OPENS)
    send_reminders(today=OPENS + timedelta(days=1))
    assert send_reminders(today=OPENS + timedelta(days=2)) == 0
    assert len(mail.outbox) == 1


def test_nothing_is_sent_before_the_round_opens(round_):
    assert send_reminders(today=OPENS - timedelta(days=1)) == 0


def test_a_submitted_return_gets_no_more_reminders(round_, contract, cara_contributor):
    ret = round_.returns.get()
    set_nil_return(ret, contract, nil=True, reason="Work paused all year", by=cara_contributor)
    submit_return(ret, by=cara_contributor)
    assert send_reminders(today=CLOSES + timedelta(days=1)) == 0


def test_the_command_reports_how_many_it_sent(round_, capsys, settings):
    call_command("send_reminders")
    assert "reminder e-mail(s)" in capsys.readouterr().out
