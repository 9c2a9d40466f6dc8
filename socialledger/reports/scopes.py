"""Report scopes: what a report covers (a provider, framework, member, supplier or contract), how
a scope is written on the command line and in URLs, and which years it has figures for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from socialledger.contracts.models import Commitment, Contract, Framework
from socialledger.lib.periods import FinancialYear
from socialledger.organisations.models import Organisation
from socialledger.reports.models import ContractFigure
from socialledger.reports.years import closed_years
from socialledger.returns.models import Entry, State


@dataclass(frozen=True)
class Scope:
    """What a report covers: a whole provider, or one framework, member, supplier or contract."""

    provider: Organisation
    kind: str = "provider"
    target: Any = None

    @property
    def label(self) -> str:
        if self.kind == "provider":
            return self.provider.name
        if self.kind == "contract":
            return f"Contract {self.target.reference}: {self.target.title}"
        return str(self.target)

    @property
    def key(self) -> tuple[str, int]:
        """How the summary tables name this scope: its kind and the id of what it covers."""
        return self.kind, self.provider.pk if self.kind == "provider" else self.target.pk

    def summaries(self, model) -> QuerySet:
        """This scope's rows of a summary table (reports/models.py)."""
        kind, pk = self.key
        return model.objects.filter(scope_kind=kind, scope_id=pk)

    def contract_figures(self) -> QuerySet:
        """The summary rows of this scope's contracts (reports/models.py ContractFigure)."""
        kind, pk = self.key
        return ContractFigure.objects.filter(**{f"{kind}_id": pk})

    def entries(self) -> QuerySet:
        entries = Entry.objects.for_provider(self.provider)
        if self.kind == "provider":
            return entries
        field = "contract" if self.kind == "contract" else f"contract__{self.kind}"
        return entries.filter(**{field: self.target})

    def contracts(self) -> QuerySet:
        contracts = Contract.objects.for_provider(self.provider)
        if self.kind == "provider":
            return contracts
        field = "pk" if self.kind == "contract" else self.kind
        return contracts.filter(**{field: self.target.pk})

    def targets_set_here(self) -> QuerySet:
        """Commitments set on the scope itself rather than on its contracts."""
        if self.kind == "provider":
            return Commitment.objects.filter(
                provider=self.provider, contract=None, framework=None, member=None
            )
        if self.kind in ("framework", "member"):
            return Commitment.objects.filter(**{self.kind: self.target})
        return Commitment.objects.none()


SCOPE_KINDS = ("provider", "framework", "member", "supplier", "contract")
# Which other dimensions a scope is split by, in tables of the headline measures.
GROUPS_FOR_SCOPE = {
    "provider": ("framework", "member", "supplier"),
    "framework": ("member", "supplier"),
    "member": ("framework", "supplier"),
    "supplier": ("framework", "member"),
    "contract": (),
}


def scope_from_text(provider: Organisation, text: str | None) -> Scope:
    """Read a scope as written on the command line: "framework:DEC", "member:LFH",
    "supplier:BWC" or "contract:DEC/DEC-001"; nothing means the whole provider."""
    if not text or text == "provider":
        return Scope(provider)
    kind, _, reference = text.partition(":")
    if kind not in SCOPE_KINDS or not reference:
        raise ValueError(
            f'"{text}" is not a scope; write e.g. framework:REF, member:REF, supplier:REF'
        )
    target = _scope_target(provider, kind, reference.strip())
    if target is None:
        raise ValueError(f'{provider} has no {kind} "{reference}".')
    return Scope(provider, kind, target)


def scope_text(scope: Scope) -> str:
    """A scope as `scope_from_text` reads it ("framework:DEC"); empty for a whole provider."""
    if scope.kind == "provider":
        return ""
    if scope.kind == "contract":
        return f"contract:{scope.target.framework.reference}/{scope.target.reference}"
    return f"{scope.kind}:{scope.target.reference}"


def _scope_target(provider: Organisation, kind: str, reference: str):
    if kind == "framework":
        return Framework.objects.for_provider(provider).filter(reference__iexact=reference).first()
    if kind == "contract":
        framework, _, contract = reference.partition("/")
        return (
            Contract.objects.for_provider(provider)
            .filter(framework__reference__iexact=framework, reference__iexact=contract)
            .first()
        )
    parties = Organisation.objects.in_provider(provider).filter(kind=kind)
    return parties.matching(reference).first()


def latest_year(scope: Scope, basis: str = State.VERIFIED) -> FinancialYear | None:
    """The most recent financial year with figures in the scope counted on this basis."""
    latest = (
        scope.contract_figures()
        .filter(state=basis)
        .order_by("-financial_year")
        .values_list("financial_year", flat=True)
        .first()
    )
    return scope.provider.financial_year(latest) if latest is not None else None


def scope_for_membership(membership) -> Scope:
    """What a person's dashboard reports on: their provider, or their own member or supplier."""
    organisation = membership.organisation
    if organisation.is_provider:
        return Scope(organisation)
    return Scope(organisation.provider, organisation.kind, organisation)


def years_on_record(scope: Scope) -> list[FinancialYear]:
    """Every financial year with reported figures in the scope, newest first."""
    years = (
        scope.contract_figures()
        .filter(state=State.REPORTED)
        .values_list("financial_year", flat=True)
        .distinct()
        .order_by("-financial_year")
    )
    return [scope.provider.financial_year(year) for year in years]


def default_year(scope: Scope, years: list[FinancialYear] | None = None) -> FinancialYear | None:
    """The year a report shows unless asked: the latest closed year with figures (a year in
    progress is one click away, labelled), else the latest with verified figures, else the newest
    with any reported; None when the scope has no figures at all."""
    years = years_on_record(scope) if years is None else years
    closed = closed_years(scope, years, timezone.localdate())
    return (closed[0] if closed else None) or latest_year(scope) or (years[0] if years else None)
