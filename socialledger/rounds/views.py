"""Return rounds for provider staff: open one, and follow every supplier's progress in it."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from socialledger.accounts.access import OFFICERS, PROVIDER_ROLES, ledger_view, provider_of
from socialledger.returns.actions import TransitionError
from socialledger.rounds.actions import open_round, send_reminders
from socialledger.rounds.forms import RoundForm
from socialledger.rounds.models import Progress, Round, round_progress


@ledger_view(roles=PROVIDER_ROLES)
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = Round.objects.for_provider(provider_of(request.membership))
    context = {"rounds": rounds, "can_open": request.membership.role in OFFICERS}
    return TemplateResponse(request, "rounds/list.html", context)


@ledger_view(roles=OFFICERS)
def new_round(request: HttpRequest) -> HttpResponse:
    """Open a round: the returns are created at once, one per supplier with contracts in scope."""
    provider = provider_of(request.membership)
    form = RoundForm(request.POST or None, provider=provider)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            round_ = open_round(
                provider,
                name=data["name"],
                period_start=data["year"].start,
                period_end=data["year"].end,
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                min_spend=data["min_spend"],
                always_included=data["always_included"],
                by=request.user,
            )
        except TransitionError as error:
            form.add_error(None, str(error))
        else:
            sent = send_reminders(base_url=request.build_absolute_uri("/").rstrip("/"))
            messages.success(
                request,
                f"{round_} is open with {round_.returns.count()} returns; {sent} e-mails sent.",
            )
            return redirect("round-detail", pk=round_.pk)
    return TemplateResponse(request, "rounds/new.html", {"form": form})


@ledger_view(roles=PROVIDER_ROLES)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = Round.objects.for_provider(provider_of(request.membership)).filter(pk=pk).first()
    if round_ is None:
        raise Http404("No such round.")
    progress = round_progress(round_, timezone.localdate())
    counts = dict.fromkeys(Progress.LABELS.values(), 0)
    for item in progress:
        counts[item.label] += 1
    context = {"round": round_, "progress": progress, "counts": counts}
    return TemplateResponse(request, "rounds/detail.html", context)
