"""Return rounds: a provider asks its suppliers for a period's figures, between two dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum

from socialledger.contracts.models import Contract
from socialledger.lib.fields import ScaledDecimalField


class RoundQuerySet(models.QuerySet):
    def for_provider(self, provider) -> RoundQuerySet:
        return self.filter(provider=provider)

    def open_on(self, day: date) -> RoundQuerySet:
        return self.filter(opens_on__lte=day, closes_on__gte=day)


class Round(models.Model):
    """A call for returns for one period, open from `opens_on` to `closes_on`.

    Which contracts are in scope is a rule: those live in the period with at least `min_spend`
    spent in the twelve months to the period's end, plus every contract of the frameworks always
    included (e.g. consultancy, where spend is small but social value is still owed).
    """

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="rounds"
    )
    name = models.CharField(max_length=120)
    period_start = models.DateField()
    period_end = models.DateField()
    financial_year = models.PositiveSmallIntegerField()
    opens_on = models.DateField()
    closes_on = models.DateField()
    min_spend = ScaledDecimalField(
        places=2,
        default=Decimal(100_000),
        help_text="Spend in the 12 months to the period's end that brings a contract into scope.",
    )
    always_included = models.ManyToManyField(
        "contracts.Framework",
        blank=True,
        related_name="+",
        help_text="Frameworks whose every live contract is in scope, whatever its spend.",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="round_dates"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="round_period_dates"
            ),
            models.UniqueConstraint(
                fields=["provider", "period_start", "period_end"], name="one_round_per_period"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def contracts_in_scope(self):
        """The provider's contracts this round asks about, by the round's rule."""
        live = Contract.objects.for_provider(self.provider).live_during(
            self.period_start, self.period_end
        )
        window_start = self.period_end - timedelta(days=365) + timedelta(days=1)
        spent = (
            live.filter(spend__period_end__gte=window_start, spend__period_end__lte=self.period_end)
            .annotate(recent=Sum("spend__amount"))
            .filter(recent__gte=self.min_spend)
            .values("pk")
        )
        always = live.filter(framework__in=self.always_included.all()).values("pk")
        return live.filter(Q(pk__in=spent) | Q(pk__in=always)).select_related("supplier", "member")

    def is_open_on(self, day: date) -> bool:
        return self.opens_on <= day <= self.closes_on


class Reminder(models.Model):
    """An e-mail sent about a return; one of each kind per return, so reminders never repeat."""

    class Kind(models.TextChoices):
        OPENED = "opened", "The round has opened"
        DUE_14 = "due-14", "14 days before the round closes"
        DUE_3 = "due-3", "3 days before the round closes"
        OVERDUE = "overdue", "The return is overdue"

    submission = models.ForeignKey(
        "returns.Return", on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "kind"], name="one_reminder_of_each_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.submission}"


class Progress:
    """Where one supplier's return in a round stands, in words an officer uses."""

    LABELS = {
        "not-started": "Not started",
        "draft": "Draft",
        "submitted": "Submitted",
        "resubmitted": "Resubmitted",
        "queried": "Queried",
        "verified": "Verified",
        "rejected": "Rejected",
        "overdue": "Overdue",
    }

    def __init__(self, ret, today: date, in_scope: int, done: int, has_entries: bool) -> None:
        self.ret, self.in_scope, self.done = ret, in_scope, done
        self.state = self._state(ret, today, has_entries)

    @property
    def label(self) -> str:
        return self.LABELS[self.state]

    @staticmethod
    def _state(ret, today: date, has_entries: bool) -> str:
        waiting = ret.status in ("draft", "queried")
        if waiting and ret.round and today > ret.round.closes_on:
            return "overdue"
        if ret.status == "draft" and not has_entries:
            return "not-started"
        return ret.status


def round_progress(round_: Round, today: date) -> list[Progress]:
    """Every supplier's return in the round with its state and how many contracts are done."""
    from django.db.models import Count, Exists, OuterRef

    from socialledger.returns.models import Entry, ScopedContract

    returns = (
        round_.returns.select_related("supplier", "round")
        .annotate(in_scope=Count("scope", distinct=True))
        .annotate(has_entries=Exists(Entry.objects.filter(submission=OuterRef("pk"))))
        .order_by("supplier__name")
    )
    counts = dict(
        ScopedContract.objects.filter(submission__round=round_)
        .filter(
            Q(nil=True)
            | Exists(
                Entry.objects.filter(
                    submission=OuterRef("submission"), contract=OuterRef("contract")
                )
            )
        )
        .values_list("submission")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        Progress(ret, today, ret.in_scope, counts.get(ret.pk, 0), ret.has_entries)
        for ret in returns
    ]
