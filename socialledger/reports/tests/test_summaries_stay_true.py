"""The summary tables stay true: whatever sequence of imports, edits, submissions, queries,
verifications, rejections, reopenings and deletions happens, after every step each summary row
equals the aggregation of the raw entries, and every figure a report reads from them equals what
adding up the entries gives (`tally`), for every scope and grouping."""

from __future__ import annotations

import contextlib
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from socialledger.contracts.tests.factories import make_contract, make_framework
from socialledger.imports.actions import import_entries
from socialledger.imports.reading import ImportRefused, parse_csv_text
from socialledger.lib.periods import FinancialYear
from socialledger.measures.models import Dimension, Measure
from socialledger.measures.tests.factories import make_stock_measure
from socialledger.organisations.tests.factories import make_member, make_provider, make_supplier
from socialledger.reports.models import (
    ContractFigure,
    GroupFigure,
    RepeatedPerson,
    ScopeFigure,
    VersionUse,
)
from socialledger.reports.queries import GROUPS_FOR_SCOPE, Scope, annual_report, report_measures
from socialledger.reports.summaries import differences, rebuild
from socialledger.reports.tally import (
    by_value,
    figures_on_contracts,
    grouped,
    split,
    summed,
    tally,
)
from socialledger.returns import actions
from socialledger.returns.actions import Fact, TransitionError
from socialledger.returns.models import Entry, Return
from socialledger.returns.tests.factories import make_return

YEARS = (FinancialYear(2022), FinancialYear(2023))
PEOPLE = ("", "a" * 64, "b" * 64, "c" * 64)
CODES = ("jobs-created", "volunteering-days", "headcount")
# The transitions that lead from a draft to each status.
PATHS = {
    "draft": ("reopen",),
    "submitted": ("submit",),
    "queried": ("submit", "query"),
    "resubmitted": ("submit", "query", "submit"),
    "verified": ("submit", "verify"),
    "rejected": ("submit", "reject"),
}
EDITABLE = st.sampled_from(("draft", "queried"))
FIELDS = {
    "framework": "contract__framework_id",
    "member": "contract__member_id",
    "supplier": "contract__supplier_id",
    "contract": "contract_id",
}

# One figure: (contract number, measure, quarter, quantity, hours, person)
figures = st.tuples(
    st.integers(0, 3),
    st.sampled_from(CODES),
    st.integers(0, 1),
    st.integers(0, 9),
    st.sampled_from(("", "full-time", "part-time")),
    st.sampled_from(PEOPLE),
)


class Ledger(RuleBasedStateMachine):
    """A small provider: two frameworks, two members, two suppliers, four contracts, a stock."""

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        try:
            self._build()
        except BaseException:
            self.teardown()
            raise

    def _build(self) -> None:
        self.provider = make_provider("SUMS", "Summaries Ltd")
        north, south = make_framework(self.provider, "N"), make_framework(self.provider, "S")
        members = [make_member(self.provider, "M1"), make_member(self.provider, "M2")]
        self.suppliers = [make_supplier(self.provider, "S1"), make_supplier(self.provider, "S2")]
        self.contracts = [
            make_contract(north, "N-1", member=members[0], supplier=self.suppliers[0]),
            make_contract(south, "S-1", member=members[1], supplier=self.suppliers[0]),
            make_contract(north, "N-2", member=members[1], supplier=self.suppliers[1]),
            make_contract(south, "S-2", member=members[0], supplier=self.suppliers[1]),
        ]
        headcount = make_stock_measure(self.provider)
        headcount.dimensions.add(Dimension.objects.get(code="hours"))
        self.measures = {code: self._measure(code) for code in CODES}
        # One scope of each kind (the others are the same code with other ids).
        self.scopes = [
            Scope(self.provider),
            Scope(self.provider, "framework", south),
            Scope(self.provider, "member", members[0]),
            Scope(self.provider, "supplier", self.suppliers[1]),
            Scope(self.provider, "contract", self.contracts[1]),
        ]

    def _measure(self, code: str) -> Measure:
        return Measure.objects.available_to(self.provider).get(code=code)

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    # --- what people do -----------------------------------------------------------------------

    def _return(self, supplier: int, year: int) -> Return:
        found = Return.objects.filter(
            supplier=self.suppliers[supplier], financial_year=YEARS[year].start_year
        ).first()
        return found or actions.open_year_return(self.suppliers[supplier], YEARS[year], by=None)

    def _facts(self, supplier: int, year: int, rows) -> list[Fact]:
        facts = {}
        for number, code, quarter, quantity, hours, person in rows:
            contract = self.contracts[supplier * 2 + number % 2]
            start = YEARS[year].start.replace(month=4 + 3 * quarter)
            end = start.replace(month=start.month + 2, day=30)
            fact = Fact(
                contract,
                self.measures[code],
                start,
                end,
                Decimal(quantity),
                {"hours": hours} if hours and code != "volunteering-days" else {},
                person_key=person if code == "jobs-created" else "",
            )
            facts[fact.natural_key] = fact
        return list(facts.values())

    def _bring_to(self, ret: Return, status: str, reopen_first: bool = False) -> Return:
        """Try each transition on the way to a status (reopening first, if asked); a move the
        return's status does not allow is refused and changes nothing."""
        for name in ("reopen",) * reopen_first + PATHS[status]:
            with contextlib.suppress(TransitionError):
                ret = getattr(actions, f"{name}_return")(ret, by=None, note="Because")
        return ret

    @rule(
        supplier=st.integers(0, 1),
        year=st.integers(0, 1),
        rows=st.lists(figures, max_size=4),
        editable=EDITABLE,
    )
    def save_figures(self, supplier, year, rows, editable):
        ret = self._bring_to(self._return(supplier, year), editable, reopen_first=True)
        with contextlib.suppress(TransitionError):
            actions.save_entries(ret, self._facts(supplier, year, rows), by=None)

    @rule(
        supplier=st.integers(0, 1),
        year=st.integers(0, 1),
        rows=st.lists(figures, max_size=3),
        editable=EDITABLE,
    )
    def replace_figures(self, supplier, year, rows, editable):
        ret = self._bring_to(self._return(supplier, year), editable, reopen_first=True)
        with contextlib.suppress(TransitionError):
            actions.replace_entries(ret, self._facts(supplier, year, rows), by=None)

    @rule(supplier=st.integers(0, 1), year=st.integers(0, 1), editable=EDITABLE, data=st.data())
    def remove_figures(self, supplier, year, editable, data):
        ret = self._bring_to(self._return(supplier, year), editable, reopen_first=True)
        entries = list(ret.entries.order_by("pk"))
        doomed = data.draw(st.lists(st.sampled_from(entries), max_size=2)) if entries else []
        with contextlib.suppress(TransitionError):
            actions.remove_entries(ret, doomed, by=None)

    @rule(
        supplier=st.integers(0, 1),
        year=st.integers(0, 1),
        reopen_first=st.booleans(),
        status=st.sampled_from(tuple(PATHS)),
    )
    def move_return(self, supplier, year, reopen_first, status):
        self._bring_to(self._return(supplier, year), status, reopen_first)

    @rule(
        supplier=st.integers(0, 1),
        year=st.integers(0, 1),
        rows=st.lists(figures, min_size=1, max_size=4),
        status=st.sampled_from(("draft", "submitted", "verified")),
    )
    def import_file(self, supplier, year, rows, status):
        lines = [
            "framework,contract,supplier,member,measure,financial_year,period_start,"
            "period_end,quantity,hours,person_key,status"
        ]
        for fact in self._facts(supplier, year, rows):
            c = fact.contract
            lines.append(
                f"{c.framework.reference},{c.reference},{c.supplier.reference},"
                f"{c.member.reference},{fact.measure.code},{YEARS[year].label},"
                f"{fact.period_start},{fact.period_end},{fact.quantity},"
                f"{fact.breakdowns.get('hours', '')},{fact.person_key},{status}"
            )
        with contextlib.suppress(ImportRefused):
            import_entries(self.provider, parse_csv_text("\n".join(lines)), by=None)

    # --- what must hold after every step -------------------------------------------------------

    @invariant()
    def summaries_equal_the_entries(self):
        assert differences(self.provider) == []

    @invariant()
    def figures_read_from_summaries_equal_the_entries_added_up(self):
        measures = report_measures(self.provider)
        years = [year.start_year for year in YEARS]
        fields = ["measure_id", "financial_year"]
        for scope in self.scopes:
            entries = scope.entries()
            assert summed(scope) == tally(entries, fields, measures)
            by_key = tally(entries, [*fields, "breakdown_key"], measures)
            assert split(scope, years=years, measures=measures) == by_value(by_key, measures)
            for by in (*GROUPS_FOR_SCOPE[scope.kind], "contract"):
                expected = tally(entries, [*fields, FIELDS[by]], measures)
                assert grouped(scope, years=years, by=by) == expected
        chosen = [self.contracts[0].pk, self.contracts[2].pk]
        for year in YEARS:
            entries = Entry.objects.filter(contract_id__in=chosen, financial_year=year.start_year)
            assert figures_on_contracts(chosen, year) == tally(
                entries, ["measure_id", "contract_id"], measures
            )


def test_summaries_equal_the_entries_after_any_sequence_of_changes(db):
    run_state_machine_as_test(
        Ledger,
        settings=settings(
            max_examples=8,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_a_rebuild_from_scratch_restores_every_summary(provider, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 4), (contract, "jobs-sustained", 2)])
    make_return(supplier, [(contract, "jobs-created", 3)], year=YEARS[0])
    expected = annual_report(Scope(provider), YEARS[1])
    for model in (ContractFigure, ScopeFigure, GroupFigure, VersionUse, RepeatedPerson):
        model.objects.all().delete()
    assert differences(provider) != []
    rebuild(provider)
    assert differences(provider) == []
    assert annual_report(Scope(provider), YEARS[1]) == expected
