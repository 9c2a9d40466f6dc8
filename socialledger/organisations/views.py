"""Registering a provider's members and suppliers on the web, and changing their details."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from socialledger.accounts.access import OFFICERS, ledger_view, provider_of, visible_organisations
from socialledger.lib.formpages import form_page
from socialledger.organisations import actions
from socialledger.organisations.forms import OrganisationForm, SlaveryAssessmentForm
from socialledger.organisations.models import Organisation

KINDS = {"member": "a member (buyer)", "supplier": "a supplier"}


@ledger_view(roles=OFFICERS)
def organisation_new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("No such kind of organisation.")
    provider = provider_of(request.membership)
    form = OrganisationForm(request.POST or None, provider=provider, kind=kind)
    return form_page(
        request,
        form,
        title=f"Add {KINDS[kind]}",
        submit=f"Add the {kind}",
        carry_out=lambda data: actions.register_organisation(
            provider, kind=kind, by=request.user, **data
        ),
        done=lambda organisation: (
            f"{organisation} was added. You can now invite its staff.",
            _url(organisation),
        ),
        back=("set-up", reverse("setup")),
    )


@ledger_view(roles=OFFICERS)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's or supplier's details, and a way to invite its staff."""
    organisation = _organisation(request, pk)
    form = OrganisationForm(
        request.POST or None,
        instance=_organisation(request, pk),
        provider=organisation.provider,
        kind=organisation.kind,
    )
    return form_page(
        request,
        form,
        title=str(organisation),
        submit="Save the changes",
        carry_out=lambda _data: actions.update_organisation(
            organisation, by=request.user, **form.changes()
        ),
        done=lambda changed: (f"{changed} was saved.", _url(changed)),
        back=("set-up", reverse("setup")),
        template="setup/organisation.html",
        context={
            "organisation": organisation,
            "assessments": _assessments(organisation),
            "today": timezone.localdate(),
        },
    )


@ledger_view(roles=OFFICERS)
def slavery_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a supplier's modern slavery risk assessment for a year."""
    supplier = _organisation(request, pk)
    if supplier.kind != Organisation.Kind.SUPPLIER:
        raise Http404("Only a supplier has a modern slavery risk assessment.")
    form = SlaveryAssessmentForm(request.POST or None, supplier=supplier)
    return form_page(
        request,
        form,
        title=f"Modern slavery risk assessment: {supplier}",
        submit="Record the assessment",
        intro="One a year for each supplier: when it is due, whether it was done and when, what "
        "shows it, and the actions it led to. Recording a year again replaces it.",
        carry_out=lambda data: actions.record_slavery_assessment(
            supplier,
            financial_year=data["year"],
            **{k: v for k, v in data.items() if k != "year"},
            by=request.user,
            via="web",
        ),
        done=lambda _found: ("The assessment was recorded.", _url(supplier) + "#slavery"),
        back=(str(supplier), _url(supplier)),
    )


def _organisation(request, pk: int) -> Organisation:
    """A member or supplier of the acting provider; the provider itself is not edited here."""
    found = visible_organisations(request.membership).exclude(kind="provider").filter(pk=pk).first()
    if found is None:
        raise Http404("No such organisation.")
    return found


def _assessments(organisation: Organisation) -> list[dict]:
    """A supplier's modern slavery risk assessments, each with its year's name."""
    return [
        {"a": a, "year": organisation.financial_year(a.financial_year).label}
        for a in organisation.slavery_assessments.all()
    ]


def _url(organisation: Organisation) -> str:
    return reverse("setup-organisation", args=[organisation.pk])
