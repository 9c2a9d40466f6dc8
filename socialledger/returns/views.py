"""Return pages: the list, and one return as the supplier's workspace and the officer's desk."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from socialledger.accounts.access import (
    OFFICERS,
    get_evidence_for_user,
    get_return_for_contributor,
    get_return_for_officer,
    get_return_for_user,
    is_provider_staff,
    ledger_view,
    visible_returns,
)
from socialledger.accounts.models import Role
from socialledger.audit.models import AuditEvent
from socialledger.contracts.models import Contract
from socialledger.lib.periods import FinancialYear, PeriodError
from socialledger.measures.models import Measure
from socialledger.quality.queries import warnings_for_return
from socialledger.reports.queries import contract_figures
from socialledger.returns import actions, evidence
from socialledger.returns.conversation import conversation
from socialledger.returns.forms import FiguresBlock
from socialledger.returns.models import Additionality, Evidence, Status
from socialledger.returns.review import review_lines
from socialledger.returns.spend_views import spend_rows

RETURNS_PER_PAGE = 50
ENTRIES_PER_PAGE = 200


@ledger_view()
def return_list(request: HttpRequest) -> HttpResponse:
    returns = visible_returns(request.membership).select_related("supplier", "round")
    status = request.GET.get("status", "")
    if status in Status.values:
        returns = returns.filter(status=status)
    year, year_error = request.GET.get("year", "").strip(), ""
    if year:
        try:
            returns = returns.filter(financial_year=_start_year(year))
        except PeriodError as error:
            year_error = str(error)
    page = Paginator(
        returns.order_by("-financial_year", "supplier__name"), RETURNS_PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "statuses": Status.choices,
        "status": status,
        "year": year,
        "year_error": year_error,
    }
    return TemplateResponse(request, "returns/list.html", context)


def _start_year(text: str) -> int:
    """A year filter reads "2023-24" as the CLI does; a bare "2023" is the year starting then."""
    return int(text) if text.isdigit() else FinancialYear.parse(text).start_year


@ledger_view()
def return_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A return: its figures (as forms for its contributor while editable), evidence,
    the officer's decisions and the conversation."""
    ret = get_return_for_user(request.membership, pk)
    return TemplateResponse(request, "returns/detail.html", _context(request, ret))


def _context(request: HttpRequest, ret, overrides: dict | None = None) -> dict:
    membership = request.membership
    can_edit = (
        membership.role == Role.SUPPLIER_CONTRIBUTOR
        and membership.organisation_id == ret.supplier_id
        and ret.is_editable
    )
    context = {
        "ret": ret,
        "can_edit": can_edit,
        "can_decide": membership.role in OFFICERS,
        "decisions": actions.decisions_open(ret) if membership.role in OFFICERS else [],
        "evidence": ret.evidence.select_related("entry__measure", "entry__contract"),
        "grades": Evidence.Grade.choices,
        "history": AuditEvent.objects.about(ret),
        "missing": list(ret.scope.missing_figures().select_related("contract")),
        "conversation": conversation(ret),
        "review": review_lines(ret) if is_provider_staff(membership) else [],
        "saved_figures": ret.entries.count(),
        "claims": ret.claimed_figures.select_related("measure"),
        "can_claim": membership.role == Role.SUPPLIER_CONTRIBUTOR
        and membership.organisation_id == ret.supplier_id,
        "claim_measures": Measure.objects.available_to(ret.provider),
        "parts": _parts(ret),
        "spend_rows": spend_rows(ret),
        "additionality": Additionality.choices,
    }
    if can_edit:
        context["contracts"] = _contract_sections(ret, overrides or {})
        context["spend_contracts"] = ret.contracts_to_report()
    else:
        entries = ret.entries.select_related("contract", "measure").order_by(
            "contract__reference", "measure__position", "breakdown_key"
        )
        context["entries"] = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return context


def _parts(ret) -> list[dict]:
    """The subcontractors' parts of the return with their figures, for the supplier to review
    and the officers to see who delivered what."""
    parts = ret.parts.select_related(
        "subcontract__subcontractor", "subcontract__contract", "subcontract__under__subcontractor"
    )
    return [
        {"part": part, "entries": list(part.entries().select_related("measure"))} for part in parts
    ]


def _contract_sections(ret, overrides: dict) -> list[dict]:
    """Each contract's blocks, as saved, or as posted where given (`overrides` by contract and
    measure id), each with last year's figure and the commitment beside it."""
    measures = list(
        Measure.objects.available_to(ret.provider).counted().prefetch_related("dimensions__values")
    )
    contracts = ret.contracts_to_report()
    last_year = contract_figures(ret.provider, [c.pk for c in contracts], ret.year.previous)
    nil = {s.contract_id: s for s in ret.scope.all()}
    commitments = _commitments(ret, contracts)
    warnings = warnings_for_return(ret)
    list(ret.entries.all())  # one query; the blocks below read the cached entries
    sections = []
    for contract in contracts:
        blocks = []
        for measure in measures:
            block = overrides.get((contract.pk, measure.pk)) or FiguresBlock(ret, contract, measure)
            block.last_year = last_year.get((measure.pk, contract.pk))
            block.commitment = commitments.get((contract.pk, measure.pk))
            block.warnings = warnings.get((contract.pk, measure.pk), [])
            blocks.append(block)
        sections.append({"contract": contract, "blocks": blocks, "scoped": nil.get(contract.pk)})
    return sections


def _commitments(ret, contracts) -> dict:
    from socialledger.contracts.models import Commitment

    found = Commitment.objects.filter(
        contract__in=contracts, financial_year=ret.financial_year
    ).select_related("contract")
    return {(c.contract_id, c.measure_id): c.target_quantity for c in found}


@require_POST
@ledger_view(roles=frozenset({Role.SUPPLIER_CONTRIBUTOR}))
def save_figures(request: HttpRequest, pk: int, contract_pk: int, measure_pk: int) -> HttpResponse:
    """Save one contract × measure block (or add a blank row to it); HTMX swaps just the block."""
    ret = get_return_for_contributor(request.membership, pk)
    contract = get_object_or_404(
        Contract, pk=contract_pk, pk__in=[c.pk for c in ret.contracts_to_report()]
    )
    measure = get_object_or_404(Measure.objects.available_to(ret.provider).counted(), pk=measure_pk)
    adding = "add_row" in request.POST
    block = FiguresBlock(ret, contract, measure, request.POST, extra_rows=1 if adding else 0)
    saved = False
    if not adding and block.is_valid():
        try:
            actions.replace_entries(
                ret,
                block.facts(),
                contracts=[contract],
                measures=[measure],
                by=request.user,
                via="web",
            )
            saved = True
        except actions.TransitionError as error:
            block.errors[block.field_name("total")] = str(error)
    if request.htmx:
        ret.refresh_from_db()
        fresh = FiguresBlock(ret, contract, measure) if saved else block
        fresh.last_year = contract_figures(ret.provider, [contract.pk], ret.year.previous).get(
            (measure.pk, contract.pk)
        )
        fresh.commitment = _commitments(ret, [contract]).get((contract.pk, measure.pk))
        fresh.warnings = warnings_for_return(ret).get((contract.pk, measure.pk), [])
        context = {"ret": ret, "block": fresh, "saved": saved, "contract": contract}
        return TemplateResponse(request, "returns/detail.html#block", context)
    if saved:
        messages.success(request, f"Saved {measure.name.lower()} for {contract.reference}.")
        return redirect(f"{reverse('return-detail', args=[ret.pk])}#{block.prefix}")
    overrides = {(contract.pk, measure.pk): block}
    return TemplateResponse(request, "returns/detail.html", _context(request, ret, overrides))


@require_POST
@ledger_view(roles=frozenset({Role.SUPPLIER_CONTRIBUTOR}))
def save_all(request: HttpRequest, pk: int) -> HttpResponse:
    """Save every block of the page that was changed, all or none: if any block is wrong,
    nothing is saved and each mistake is shown next to its field."""
    ret = get_return_for_contributor(request.membership, pk)
    measures = list(
        Measure.objects.available_to(ret.provider).counted().prefetch_related("dimensions__values")
    )
    list(ret.entries.all())  # one query; the blocks below read the cached entries
    changed = [
        block
        for contract in ret.contracts_to_report()
        for measure in measures
        if (block := _changed_block(ret, contract, measure, request.POST)) is not None
    ]
    wrong = [block for block in changed if not block.is_valid()]
    if not wrong:
        try:
            actions.replace_blocks(
                ret,
                [(block.contract, block.measure, block.facts()) for block in changed],
                by=request.user,
                via="web",
            )
        except actions.TransitionError as error:
            messages.error(request, str(error))
            return redirect("return-detail", pk=ret.pk)
        if changed:
            messages.success(request, f"Saved {_blocks_saved(changed)}.")
        else:
            messages.info(request, "Nothing had changed; nothing needed saving.")
        return redirect("return-detail", pk=ret.pk)
    messages.error(
        request,
        f"Nothing was saved: {len(wrong)} figure{'s' if len(wrong) != 1 else ''} need"
        f"{'s' if len(wrong) == 1 else ''} correcting first (marked below).",
    )
    overrides = {(b.contract.pk, b.measure.pk): b for b in changed}
    return TemplateResponse(request, "returns/detail.html", _context(request, ret, overrides))


def _changed_block(ret, contract, measure, data) -> FiguresBlock | None:
    """The block as posted, if the page held it and it differs from what is saved."""
    posted = FiguresBlock(ret, contract, measure, data)
    if posted.was_posted(data) and posted.differs_from(FiguresBlock(ret, contract, measure)):
        return posted
    return None


def _blocks_saved(blocks: list[FiguresBlock]) -> str:
    if len(blocks) == 1:
        block = blocks[0]
        return f"{block.measure.name.lower()} for {block.contract.reference}"
    return f"{len(blocks)} figures"


@require_POST
@ledger_view(roles=frozenset({Role.SUPPLIER_CONTRIBUTOR}))
def set_nil(request: HttpRequest, pk: int, contract_pk: int) -> HttpResponse:
    """Say a contract has nothing to report this period (or take it back)."""
    ret = get_return_for_contributor(request.membership, pk)
    contract = get_object_or_404(Contract, pk=contract_pk)
    nil = request.POST.get("nil") == "1"
    try:
        actions.set_nil_return(
            ret,
            contract,
            nil=nil,
            reason=request.POST.get("reason", ""),
            by=request.user,
            via="web",
        )
        messages.success(
            request, f"{contract.reference}: {'nothing to report' if nil else 'figures to report'}."
        )
    except actions.TransitionError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('return-detail', args=[ret.pk])}#contract-{contract.pk}")


@require_POST
@ledger_view(roles=frozenset({Role.SUPPLIER_CONTRIBUTOR}))
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    ret = get_return_for_contributor(request.membership, pk)
    try:
        actions.submit_return(
            ret,
            by=request.user,
            note=request.POST.get("note", ""),
            via="web",
            seen_version=_seen_version(request),
        )
        messages.success(
            request, "Your return has been submitted. The provider's officers will check it."
        )
    except actions.TransitionError as error:
        messages.error(request, str(error))
    return redirect("return-detail", pk=ret.pk)


@require_POST
@ledger_view(roles=OFFICERS)
def decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    """An officer queries, verifies, rejects or reopens a return, with a note."""
    ret = get_return_for_officer(request.membership, pk)
    action = actions.DECISIONS.get(decision)
    if action is None:
        return HttpResponse("Not found", status=404)
    try:
        action(
            ret,
            by=request.user,
            note=request.POST.get("note", ""),
            via="web",
            seen_version=_seen_version(request),
        )
        messages.success(
            request,
            f"The return is now {ret_status(request, pk)}.",
        )
    except actions.TransitionError as error:
        messages.error(request, str(error))
    return redirect("return-detail", pk=ret.pk)


@require_POST
@ledger_view(roles=frozenset({Role.SUPPLIER_CONTRIBUTOR}))
def add_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    ret = get_return_for_contributor(request.membership, pk)
    entry = ret.entries.filter(pk=_int(request.POST.get("entry"))).first()
    try:
        evidence.add_evidence(
            ret,
            by=request.user,
            upload=request.FILES.get("file"),
            link=request.POST.get("link", ""),
            entry=entry,
            description=request.POST.get("description", ""),
        )
        messages.success(request, "Evidence added.")
    except (evidence.EvidenceError, actions.TransitionError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(f"{reverse('return-detail', args=[ret.pk])}#evidence")


@ledger_view()
def download_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence file, to those who may see its return, under its cleaned original name."""
    item = get_evidence_for_user(request.membership, pk)
    if not item.file:
        return redirect(item.link)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@ledger_view(roles=OFFICERS)
def grade_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_evidence_for_user(request.membership, pk)
    try:
        evidence.grade_evidence(item, grade=request.POST.get("grade", ""), by=request.user)
        messages.success(request, "Evidence graded.")
    except evidence.EvidenceError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('return-detail', args=[item.submission_id])}#evidence")


@require_POST
@ledger_view(roles=frozenset({Role.SUPPLIER_CONTRIBUTOR}))
def remove_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_evidence_for_user(request.membership, pk)
    get_return_for_contributor(request.membership, item.submission_id)
    try:
        evidence.remove_evidence(item, by=request.user)
        messages.success(request, "Evidence removed.")
    except actions.TransitionError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('return-detail', args=[item.submission_id])}#evidence")


def ret_status(request: HttpRequest, pk: int) -> str:
    return get_return_for_user(request.membership, pk).get_status_display().lower()


def _seen_version(request: HttpRequest) -> int | None:
    """The version of the return on the page the person acted from (None if the form had none)."""
    version = _int(request.POST.get("version"))
    return version or None


def _int(text) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0
