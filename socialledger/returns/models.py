"""Returns and entries: what suppliers report, and the atomic fact every figure is made of."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q

from socialledger.lib.fields import ScaledDecimalField
from socialledger.returns.figures import DESCRIPTION_LENGTH, KEY_FIELDS, natural_key

OWN_KEY_FIELDS = tuple(name for name in KEY_FIELDS if name != "delivered_by")


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    QUERIED = "queried", "Queried"
    RESUBMITTED = "resubmitted", "Resubmitted"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


class State(models.TextChoices):
    """The states a figure is counted in. They are shown side by side and never added together."""

    REPORTED = "reported", "Reported"
    VERIFIED = "verified", "Verified"


# A figure is reported once its return has left the supplier's hands and has not been rejected;
# it is verified only when a provider officer has verified the return.
STATUSES_COUNTED_AS = {
    State.REPORTED: (Status.SUBMITTED, Status.QUERIED, Status.RESUBMITTED, Status.VERIFIED),
    State.VERIFIED: (Status.VERIFIED,),
}


class ReturnQuerySet(models.QuerySet):
    def for_provider(self, provider) -> ReturnQuerySet:
        return self.filter(supplier__provider=provider)

    def for_supplier(self, supplier) -> ReturnQuerySet:
        return self.filter(supplier=supplier)

    def awaiting_verification(self) -> ReturnQuerySet:
        return self.filter(status__in=[Status.SUBMITTED, Status.RESUBMITTED])


class Return(models.Model):
    """One supplier's submission for one period (by default a financial year)."""

    supplier = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="returns",
        limit_choices_to={"kind": "supplier"},
    )
    period_start = models.DateField()
    period_end = models.DateField()
    financial_year = models.PositiveSmallIntegerField(
        help_text="The financial year the period falls in, by the year it starts: 2023 = 2023-24"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status_note = models.TextField(blank=True, help_text="The latest query, reason or comment.")
    round = models.ForeignKey(
        "rounds.Round", null=True, blank=True, on_delete=models.PROTECT, related_name="returns"
    )
    verified_totals = models.JSONField(
        default=dict,
        blank=True,
        help_text="Each measure's total when the return was last verified, to detect restatements.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(
        default=1,
        help_text="Goes up with every change of status, so that a decision taken on a page loaded "
        "before someone else's change is refused instead of applied blind.",
    )

    objects = ReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "supplier__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "period_start", "period_end"], name="one_return_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="return_period_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.supplier} {self.period_label}"

    @property
    def year(self):
        return self.supplier.financial_year(self.financial_year)

    @property
    def period_label(self) -> str:
        year = self.year
        if (self.period_start, self.period_end) == (year.start, year.end):
            return year.label
        return f"{self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"

    @property
    def provider(self):
        return self.supplier.provider

    @property
    def is_editable(self) -> bool:
        """Suppliers change figures only in a draft or in a return they were asked about."""
        return self.status in (Status.DRAFT, Status.QUERIED)

    @property
    def is_locked(self) -> bool:
        return self.status == Status.VERIFIED

    def contracts_to_report(self) -> list:
        """The contracts figures are given for: those in its round's scope, or (for a return
        made outside a round, e.g. by an import or the API) the supplier's contracts live in
        its period."""
        from socialledger.contracts.models import Contract

        scoped = [s.contract for s in self.scope.select_related("contract__member")]
        if scoped:
            return scoped
        return list(
            Contract.objects.for_supplier(self.supplier)
            .live_during(self.period_start, self.period_end)
            .select_related("member")
            .order_by("reference")
        )


class ScopedContractQuerySet(models.QuerySet):
    def missing_figures(self) -> ScopedContractQuerySet:
        """In-scope contracts with neither figures in the return nor a nil return."""
        has_entries = Entry.objects.filter(
            submission=models.OuterRef("submission"), contract=models.OuterRef("contract")
        )
        return self.filter(nil=False).exclude(models.Exists(has_entries))


class ScopedContract(models.Model):
    """A contract a return must cover: with figures, or with an explicit nil return."""

    submission = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="scope")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    nil = models.BooleanField(default=False, help_text="Nothing to report for this contract.")
    nil_reason = models.CharField(max_length=300, blank=True)

    objects = ScopedContractQuerySet.as_manager()

    class Meta:
        ordering = ["contract__reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "contract"], name="contract_once_in_scope"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} in {self.submission}"


class EntryQuerySet(models.QuerySet):
    def for_provider(self, provider) -> EntryQuerySet:
        return self.filter(contract__framework__provider=provider)

    def counted_as(self, state: str) -> EntryQuerySet:
        """Entries whose return puts them in this state (reported or verified)."""
        return self.filter(submission__status__in=STATUSES_COUNTED_AS[State(state)])

    def in_years(self, *start_years: int) -> EntryQuerySet:
        return self.filter(financial_year__in=start_years)


class Entry(models.Model):
    """The atomic fact: a quantity of a measure, on a contract, for a period, with breakdowns.

    Every number in every report is a sum of entries. An entry records the measure definition
    version it was counted under. `breakdown_key` is the breakdowns written as one sorted text
    ("hours=part-time|sector=housing") so that the same fact cannot be stored twice.
    """

    submission = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="entries")
    contract = models.ForeignKey(
        "contracts.Contract", on_delete=models.PROTECT, related_name="entries"
    )
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.PROTECT, related_name="entries"
    )
    definition_version = models.PositiveIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    financial_year = models.PositiveSmallIntegerField()
    quantity = ScaledDecimalField(places=4)
    breakdowns = models.JSONField(default=dict, blank=True)
    breakdown_key = models.CharField(max_length=500, blank=True)
    description = models.CharField(max_length=DESCRIPTION_LENGTH, blank=True)
    person_key = models.CharField(
        max_length=64, blank=True, help_text="A pseudonymous key for one person, never a name."
    )
    delivered_by = models.ForeignKey(
        "contracts.Subcontract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries",
        help_text="The subcontractor that delivered it; empty when the supplier itself did.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["contract", "measure", "period_start", "breakdown_key"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="entry_not_negative"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="entry_period_dates"
            ),
            # NULL is never equal to NULL in a unique index, so the supplier's own figures (no
            # subcontractor) have a key of their own without it.
            models.UniqueConstraint(
                fields=["submission", *OWN_KEY_FIELDS],
                condition=Q(delivered_by__isnull=True),
                name="entry_natural_key",
            ),
            models.UniqueConstraint(
                fields=["submission", *KEY_FIELDS],
                condition=Q(delivered_by__isnull=False),
                name="entry_natural_key_in_supply_chain",
            ),
        ]
        # Quantity last: the report's largest gifts of a year are read from the top of the index
        # (the first fifty), not by sorting every gift of the year.
        indexes = [
            models.Index(
                fields=["financial_year", "measure", "quantity"], name="entry_year_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference} {self.measure.code} {self.quantity}"

    @property
    def natural_key(self) -> tuple:
        """What makes this fact one fact: saving the same key again replaces, never adds."""
        return natural_key(
            self.contract_id,
            self.measure_id,
            self.period_start,
            self.period_end,
            self.breakdown_key,
            self.description,
            self.person_key,
            self.delivered_by_id,
        )

    @property
    def tier(self) -> int:
        """Where in the supply chain it was delivered: 1 by the supplier itself."""
        return self.delivered_by.tier if self.delivered_by_id else 1

    def clean(self) -> None:
        if self.submission_id and self.contract_id:
            if self.contract.supplier_id != self.submission.supplier_id:
                raise ValidationError(
                    {"contract": f"{self.contract.reference} is not a contract of this supplier."}
                )
            if not (
                self.submission.period_start <= self.period_start
                and self.period_end <= self.submission.period_end
            ):
                raise ValidationError("The entry's period lies outside its return's period.")


# The columns `write_entry_rows` takes, in order.
ENTRY_COLUMNS = (
    "submission_id",
    "contract_id",
    "measure_id",
    "definition_version",
    "period_start",
    "period_end",
    "financial_year",
    "quantity",
    "breakdowns",
    "breakdown_key",
    "description",
    "person_key",
    "created_at",
    "updated_at",
)
# With the subcontract that delivered each figure, as the returns' own writes give them.
DELIVERED_ENTRY_COLUMNS = (*ENTRY_COLUMNS, "delivered_by_id")


def write_entry_rows(rows: list[tuple], columns: tuple = ENTRY_COLUMNS) -> int:
    """Insert entries given as plain rows (`columns`, ENTRY_COLUMNS unless given; quantity
    scaled to four places, dates and times as the database takes them): PostgreSQL's COPY, or
    SQLite's executemany.

    For writing many thousands of entries at once, where building a model object for each would
    take longer than writing it. Callers check the rows first; this only writes.
    """
    if not rows:
        return 0
    table, names = Entry._meta.db_table, ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - names only
                rows,
            )
    return len(rows)


class Evidence(models.Model):
    """A file or link backing a return or one of its entries, graded by a provider officer.

    Files are kept under a generated name through Django's storage; the name the person gave is
    kept only to offer it back, cleaned of any path.
    """

    class Grade(models.TextChoices):
        NONE = "none", "No evidence"
        SELF_DECLARED = "self-declared", "Self-declared"
        DOCUMENTED = "documented", "Documented"
        INDEPENDENT = "independent", "Independently verified"

    submission = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="evidence")
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    link = models.URLField(blank=True, max_length=500)
    description = models.CharField(max_length=300, blank=True)
    grade = models.CharField(max_length=16, choices=Grade.choices, default=Grade.NONE)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "evidence"
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(link="")) | (~Q(file="") & Q(link="")),
                name="evidence_is_a_file_or_a_link",
            )
        ]

    def __str__(self) -> str:
        return self.original_name or self.link


class Restatement(models.Model):
    """A verified figure that changed after it was verified: what it was, what it is, and why.

    Every report that showed the figure carries a note of it.
    """

    submission = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="restatements")
    measure = models.ForeignKey("measures.Measure", on_delete=models.PROTECT, related_name="+")
    financial_year = models.PositiveSmallIntegerField()
    before = ScaledDecimalField(places=4)
    after = ScaledDecimalField(places=4)
    reason = models.TextField(blank=True)
    restated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["restated_at", "pk"]

    def __str__(self) -> str:
        return f"{self.measure} {self.before} → {self.after}"


class PartStatus(models.TextChoices):
    DRAFT = "draft", "Being filled in"
    SENT = "sent", "Sent to the supplier"
    QUERIED = "queried", "Queried by the supplier"
    ACCEPTED = "accepted", "Accepted by the supplier"


class SupplyChainPart(models.Model):
    """What one subcontractor delivered on one contract, as a part of the supplier's return:
    the subcontractor fills it in and sends it; the supplier accepts it, or queries it and the
    subcontractor corrects it, and submits it with its own figures."""

    submission = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="parts")
    subcontract = models.ForeignKey(
        "contracts.Subcontract", on_delete=models.PROTECT, related_name="parts"
    )
    status = models.CharField(max_length=10, choices=PartStatus.choices, default=PartStatus.DRAFT)
    note = models.TextField(blank=True, help_text="The supplier's latest question.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["subcontract__contract__reference", "subcontract__tier", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "subcontract"], name="one_part_per_subcontract_and_return"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subcontract} in {self.submission}"

    @property
    def is_editable(self) -> bool:
        """A subcontractor changes its figures while the part is with it and the supplier's
        return can still change."""
        return self.status in (PartStatus.DRAFT, PartStatus.QUERIED) and self.submission.is_editable

    def entries(self):
        return self.submission.entries.filter(delivered_by=self.subcontract)


class Additionality(models.TextChoices):
    ADDITIONAL = "additional", "Additional"
    BUSINESS_AS_USUAL = "business-as-usual", "Business as usual"


class SpendLineQuerySet(models.QuerySet):
    def counted_as(self, state: str) -> SpendLineQuerySet:
        """Spend lines whose return puts them in this state (reported or verified)."""
        return self.filter(submission__status__in=STATUSES_COUNTED_AS[State(state)])

    def in_year(self, start_year: int) -> SpendLineQuerySet:
        return self.filter(submission__financial_year=start_year)


class SpendLine(models.Model):
    """Money paid on a contract to one organisation in the register, in a supplier's return.

    The line names who was paid, never what kind of firm it is: whether it is local, small or
    a VCSE is read from the register (organisations/classification.py). The supplier says
    whether the spend is additional to what it would have spent anyway, or business as usual,
    and why.
    """

    submission = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="spend_lines")
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="+")
    paid = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="spend_received"
    )
    amount = ScaledDecimalField(places=2)
    additionality = models.CharField(
        max_length=20, choices=Additionality.choices, default=Additionality.ADDITIONAL
    )
    reason = models.CharField(
        max_length=300, help_text="Why it is additional, or why it is business as usual."
    )
    delivered_by = models.ForeignKey(
        "contracts.Subcontract",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="spend_lines",
        help_text="The subcontractor that spent it; empty when the supplier itself did.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SpendLineQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "paid__name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="spend_line_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.contract.reference}: £{self.amount} to {self.paid}"

    @property
    def is_additional(self) -> bool:
        return self.additionality == Additionality.ADDITIONAL
