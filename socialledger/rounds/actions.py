"""Opening return rounds and reminding suppliers."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from socialledger.accounts.models import Membership, Role
from socialledger.audit.actions import record
from socialledger.lib.periods import year_of_period
from socialledger.returns.actions import TransitionError, open_return
from socialledger.returns.models import Return, ScopedContract, Status
from socialledger.rounds.models import Reminder, Round

WAITING = (Status.DRAFT, Status.QUERIED)


@transaction.atomic
def open_round(
    provider,
    *,
    name: str,
    period_start: date,
    period_end: date,
    opens_on: date,
    closes_on: date,
    by,
    min_spend: Decimal = Decimal(100_000),
    always_included=(),
) -> Round:
    """Open a round: every supplier with contracts in scope gets one return listing them."""
    year = year_of_period(period_start, period_end, provider.year_start_month)
    if Round.objects.filter(
        provider=provider, period_start=period_start, period_end=period_end
    ).exists():
        raise TransitionError(
            f"There is already a round for {period_start:%d/%m/%Y}–{period_end:%d/%m/%Y}."
        )
    round_ = Round(
        provider=provider,
        name=name,
        period_start=period_start,
        period_end=period_end,
        financial_year=year.start_year,
        opens_on=opens_on,
        closes_on=closes_on,
        min_spend=min_spend,
        opened_by=by if getattr(by, "is_authenticated", False) else None,
    )
    round_.full_clean()
    round_.save()
    round_.always_included.set(always_included)
    returns = _returns_for(round_, by=by)
    record(
        round_,
        "round.opened",
        by=by,
        provider=provider,
        after={
            "name": name,
            "period": year.label,
            "closes_on": closes_on.isoformat(),
            "returns": len(returns),
        },
    )
    return round_


def _returns_for(round_: Round, *, by) -> list[Return]:
    by_supplier = defaultdict(list)
    for contract in round_.contracts_in_scope():
        by_supplier[contract.supplier].append(contract)
    returns = []
    for supplier, contracts in sorted(by_supplier.items(), key=lambda item: item[0].name):
        ret = Return.objects.filter(
            supplier=supplier, period_start=round_.period_start, period_end=round_.period_end
        ).first() or open_return(
            supplier, period_start=round_.period_start, period_end=round_.period_end, by=by
        )
        if ret.round_id is None:
            ret.round = round_
            ret.save(update_fields=["round"])
        ScopedContract.objects.bulk_create(
            [ScopedContract(submission=ret, contract=c) for c in contracts], ignore_conflicts=True
        )
        returns.append(ret)
    return returns


def reminders_due(round_: Round, today: date) -> list[tuple[Return, str]]:
    """The one reminder each waiting return of the round is owed today: the most pressing of
    opened, 14 days to go, 3 days to go, and overdue."""
    if today < round_.opens_on:
        return []
    days_left = (round_.closes_on - today).days
    if days_left < 0:
        kind = Reminder.Kind.OVERDUE
    elif days_left <= 3:
        kind = Reminder.Kind.DUE_3
    elif days_left <= 14:
        kind = Reminder.Kind.DUE_14
    else:
        kind = Reminder.Kind.OPENED
    waiting = round_.returns.filter(status__in=WAITING).select_related("supplier", "round")
    return [(ret, kind) for ret in waiting]


def send_reminders(*, today: date | None = None, base_url: str = "") -> int:
    """Send every reminder that is due and not yet sent; safe to run as often as you like."""
    today = today or timezone.localdate()
    sent = 0
    for round_ in Round.objects.filter(opens_on__lte=today).select_related("provider"):
        for ret, kind in reminders_due(round_, today):
            sent += _send_once(ret, kind, base_url or settings.BASE_URL)
    return sent


def _send_once(ret: Return, kind: str, base_url: str) -> int:
    if Reminder.objects.filter(submission=ret, kind=kind).exists():
        return 0
    recipients = _contributors(ret)
    if not recipients:
        return 0
    try:
        with transaction.atomic():
            Reminder.objects.create(submission=ret, kind=kind, recipients=recipients)
            context = {
                "ret": ret,
                "round": ret.round,
                "kind": kind,
                "link": f"{base_url}/returns/{ret.pk}/",
            }
            subject = render_to_string("rounds/email/reminder_subject.txt", context).strip()
            send_mail(
                subject, render_to_string("rounds/email/reminder.txt", context), None, recipients
            )
    except IntegrityError:
        return 0  # another run sent it a moment ago
    return 1


def _contributors(ret: Return) -> list[str]:
    return sorted(
        Membership.objects.active()
        .filter(organisation=ret.supplier, role=Role.SUPPLIER_CONTRIBUTOR)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
