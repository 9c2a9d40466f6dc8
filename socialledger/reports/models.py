"""Published reports, and the summary tables every report reads (kept true on each write)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from socialledger.lib.fields import ScaledDecimalField


class PublishedReportQuerySet(models.QuerySet):
    def for_provider(self, provider) -> PublishedReportQuerySet:
        return self.filter(provider=provider)

    def live(self) -> PublishedReportQuerySet:
        """Reports on public view now (published and not taken down)."""
        return self.filter(unpublished_at__isnull=True)


class PublishedReport(models.Model):
    """A frozen snapshot of a provider's verified report for one year, taken when it was
    published: what was published stays what it was until it is republished or taken down.

    `body_html` is the report page rendered at publish time with small numbers suppressed;
    it holds no person keys and no entries, only the report's figures.
    """

    provider = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="published_reports"
    )
    financial_year = models.PositiveSmallIntegerField(help_text="2023 = 2023-24")
    threshold = models.PositiveSmallIntegerField(
        help_text="Counts above 0 and below this are shown as 'fewer than N'."
    )
    title = models.CharField(max_length=300)
    contents = models.JSONField(default=list, help_text="The PDF's contents: [anchor, heading].")
    body_html = models.TextField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unpublished_at = models.DateTimeField(null=True, blank=True)
    provisional = models.BooleanField(
        default=False,
        help_text="Published while the year was in progress: every figure in it is provisional.",
    )
    figures = models.JSONField(
        default=dict,
        blank=True,
        help_text="The headline figures as published, by measure code (to find restatements).",
    )
    audit_head = models.JSONField(
        null=True,
        blank=True,
        help_text="The provider's audit chain head when this was published (audit.seals).",
    )

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        ordering = ["provider", "-financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "financial_year"], name="one_published_report_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def year(self):
        return self.provider.financial_year(self.financial_year)

    @property
    def seal(self):
        """The audit chain's head at publication, for anyone to check the log against later."""
        from socialledger.audit.seals import seal_from_data

        return seal_from_data(self.audit_head)

    @property
    def is_live(self) -> bool:
        return self.unpublished_at is None


# --- Summary tables ---------------------------------------------------------------------------
#
# Reports read these instead of adding up millions of entries. They are never edited by hand and
# never rebuilt on a timer: every action that changes entries or a return's status updates them
# in its own transaction (reports/summaries.py), and `socialledger rebuild_summaries` rebuilds
# them from the entries. Quantities are scaled integers (four places), as on entries, so the
# database adds whole numbers. Rows whose entries reach zero are deleted, so a row exists exactly
# when its figure has at least one entry behind it. Counts are plain integers (no CHECK), because
# differences are added with INSERT ... ON CONFLICT, and a database checks the row it would
# insert before it finds the one to update. `repeat_total` and `repeats` are the entries for
# people already counted earlier in the same scope, measure, year and state: reports subtract
# them, so each person counts once.

SCOPE_KIND_CHOICES = [
    ("provider", "Provider"),
    ("framework", "Framework"),
    ("member", "Member"),
    ("supplier", "Supplier"),
    ("contract", "Contract"),
]


def _provider_field():
    return models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )


def _measure_field():
    return models.ForeignKey(
        "measures.Measure",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )


class ContractFigure(models.Model):
    """One contract's figure for a measure, year and state, with the people it repeats in each
    scope the contract is in (its provider, framework, member, supplier and itself).

    For a stock measure only the contract's latest period counts. The contract's framework,
    member and supplier are copied here so a scope's contracts are one indexed filter.
    """

    contract_id = models.PositiveIntegerField()
    financial_year = models.PositiveSmallIntegerField()
    measure = _measure_field()
    state = models.CharField(max_length=8)
    provider = _provider_field()
    framework_id = models.PositiveIntegerField()
    member_id = models.PositiveIntegerField()
    supplier_id = models.PositiveIntegerField()
    total = ScaledDecimalField(places=4, default=0)
    entries = models.IntegerField(default=0)
    provider_repeat_total = ScaledDecimalField(places=4, default=0)
    provider_repeats = models.IntegerField(default=0)
    framework_repeat_total = ScaledDecimalField(places=4, default=0)
    framework_repeats = models.IntegerField(default=0)
    member_repeat_total = ScaledDecimalField(places=4, default=0)
    member_repeats = models.IntegerField(default=0)
    supplier_repeat_total = ScaledDecimalField(places=4, default=0)
    supplier_repeats = models.IntegerField(default=0)
    contract_repeat_total = ScaledDecimalField(places=4, default=0)
    contract_repeats = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contract_id", "financial_year", "measure", "state"],
                name="one_contract_figure",
            )
        ]
        indexes = [
            models.Index(fields=["provider", "financial_year", "state"], name="cf_provider"),
            models.Index(fields=["framework_id", "financial_year", "state"], name="cf_framework"),
            models.Index(fields=["member_id", "financial_year", "state"], name="cf_member"),
            models.Index(fields=["supplier_id", "financial_year", "state"], name="cf_supplier"),
        ]

    def __str__(self) -> str:
        return f"contract {self.contract_id} {self.measure_id} {self.financial_year}"


class _ScopeRow(models.Model):
    """What every row of a provider's or a framework's own summaries holds: whose it is, for
    which year, measure and state, and its figure less the people it repeats."""

    provider = _provider_field()
    scope_kind = models.CharField(max_length=9, choices=SCOPE_KIND_CHOICES)
    scope_id = models.PositiveIntegerField()
    financial_year = models.PositiveSmallIntegerField()
    measure = _measure_field()
    state = models.CharField(max_length=8)
    total = ScaledDecimalField(places=4, default=0)
    entries = models.IntegerField(default=0)
    repeat_total = ScaledDecimalField(places=4, default=0)
    repeats = models.IntegerField(default=0)

    class Meta:
        abstract = True


class ScopeFigure(_ScopeRow):
    """A provider's or a framework's figure for one measure, year and state: the whole figure
    (`dimension` empty), or the part with one breakdown value (`dimension`, `value`).

    "Not stated" is the whole less the stated values; for a stock, whose latest period is chosen
    per breakdown, the base of that subtraction is kept as `dimension` "*".
    """

    dimension = models.CharField(max_length=40, blank=True)
    value = models.CharField(max_length=100, blank=True)

    class Meta(_ScopeRow.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "scope_kind",
                    "scope_id",
                    "financial_year",
                    "measure",
                    "state",
                    "dimension",
                    "value",
                ],
                name="one_scope_figure",
            )
        ]
        indexes = [models.Index(fields=["provider"], name="scope_figure_provider")]

    def __str__(self) -> str:
        return f"{self.scope_kind} {self.scope_id} {self.measure_id} {self.financial_year}"


class GroupFigure(_ScopeRow):
    """A provider's or a framework's figure for one measure, year and state within one of its
    groups (a framework, member or supplier): the rows of a report's tables.

    `repeats` are people already counted earlier in the scope (not only in the group), as the
    report counts them.
    """

    group_kind = models.CharField(max_length=9, choices=SCOPE_KIND_CHOICES)
    group_id = models.PositiveIntegerField()

    class Meta(_ScopeRow.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "scope_kind",
                    "scope_id",
                    "group_kind",
                    "financial_year",
                    "state",
                    "measure",
                    "group_id",
                ],
                name="one_group_figure",
            )
        ]
        indexes = [models.Index(fields=["provider"], name="group_figure_provider")]

    def __str__(self) -> str:
        return f"{self.scope_kind} {self.scope_id} {self.group_kind} {self.group_id}"


class VersionUse(models.Model):
    """How many reported entries of a measure and year, in a provider, framework, member or
    supplier, were counted under each definition version (for restatement notes)."""

    provider = _provider_field()
    scope_kind = models.CharField(max_length=9, choices=SCOPE_KIND_CHOICES)
    scope_id = models.PositiveIntegerField()
    financial_year = models.PositiveSmallIntegerField()
    measure = _measure_field()
    definition_version = models.PositiveIntegerField()
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "scope_kind",
                    "scope_id",
                    "financial_year",
                    "measure",
                    "definition_version",
                ],
                name="one_version_use",
            )
        ]
        indexes = [models.Index(fields=["provider"], name="version_use_provider")]

    def __str__(self) -> str:
        return f"{self.scope_kind} {self.scope_id} v{self.definition_version}"


class RepeatedPerson(models.Model):
    """An entry for a person already counted earlier in the provider, measure, year and state.

    Only these entries can be repeats within any smaller set of entries (a member's, a supplier's,
    the contracts with commitments), so figures for such a set look only at these people.
    """

    entry_id = models.PositiveBigIntegerField()
    state = models.CharField(max_length=8)
    provider = _provider_field()
    financial_year = models.PositiveSmallIntegerField()
    contract_id = models.PositiveIntegerField()
    person_key = models.CharField(max_length=64)
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry_id", "state"], name="one_repeated_person")
        ]
        indexes = [
            models.Index(
                fields=["provider", "financial_year", "contract_id"], name="repeated_person_where"
            )
        ]

    def __str__(self) -> str:
        return f"entry {self.entry_id} ({self.state})"
