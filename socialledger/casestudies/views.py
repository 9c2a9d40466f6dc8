"""Case study pages: the list, adding one, its consents and photos, approval, and the press pack."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from socialledger.accounts.access import PROVIDER_ROLES, ledger_view, provider_of, visible_contracts
from socialledger.audit.models import AuditEvent
from socialledger.casestudies import actions
from socialledger.casestudies.access import (
    get_case_study_for_user,
    get_consent_for_writer,
    get_photo_for_user,
    may_approve,
    may_write,
    visible_case_studies,
)
from socialledger.casestudies.forms import CaseStudyForm, ConsentForm, PhotoForm
from socialledger.casestudies.models import CaseStudy, Photo, Use
from socialledger.casestudies.photos import PhotoError
from socialledger.casestudies.press import headline_png, press_pack, press_zip
from socialledger.lib.periods import PeriodError
from socialledger.measures.models import Measure
from socialledger.organisations.models import Organisation
from socialledger.reports.models import PublishedReport


@ledger_view()
def case_study_list(request: HttpRequest) -> HttpResponse:
    """The case studies a person may see, newest year first."""
    found = visible_case_studies(request.membership).select_related("contract", "provider")
    context = {
        "case_studies": found.prefetch_related("consents"),
        "can_write": may_write(request.membership),
        "today": timezone.localdate(),
    }
    return TemplateResponse(request, "casestudies/list.html", context)


@ledger_view()
def case_study_new(request: HttpRequest) -> HttpResponse:
    """Add a case study to a contract the person reports on or oversees."""
    if not may_write(request.membership):
        raise Http404("Not found.")
    form = _case_study_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_study = actions.add_case_study(
                data["contract"],
                financial_year=data["year"],
                title=data["title"],
                story=data["story"],
                quote=data["quote"],
                quoted=data["quoted"],
                measures=data["measures"],
                by=request.user,
            )
            messages.success(request, "The case study is saved. Record each person's consent.")
            return redirect("case-study", case_study.pk)
        except actions.CaseStudyError as error:
            form.add_error(None, str(error))
    return TemplateResponse(request, "casestudies/new.html", {"form": form})


def _case_study_form(request: HttpRequest) -> CaseStudyForm:
    provider = provider_of(request.membership)
    return CaseStudyForm(
        request.POST or None,
        contracts=visible_contracts(request.membership).order_by("reference"),
        measures=Measure.objects.available_to(provider).order_by("position"),
        provider=provider,
    )


@ledger_view()
def case_study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One case study: its story, photos, consents and what it may be used for today."""
    case_study = get_case_study_for_user(request.membership, pk)
    return _detail(request, case_study)


def _detail(request, case_study: CaseStudy, **forms) -> HttpResponse:
    today = timezone.localdate()
    writer = may_write(request.membership)
    context = {
        "case_study": case_study,
        "consents": [(c, c.state(today)) for c in case_study.consents.all()],
        "photos": case_study.photos.all(),
        "uses": case_study.uses_allowed(today),
        "can_write": writer,
        "can_approve": may_approve(request.membership) and not case_study.is_approved,
        "history": AuditEvent.objects.about(case_study),
        "photo_form": forms.get("photo_form") or (PhotoForm() if writer else None),
        "consent_form": forms.get("consent_form") or (ConsentForm() if writer else None),
    }
    return TemplateResponse(request, "casestudies/detail.html", context)


@require_POST
@ledger_view()
def photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    case_study = get_case_study_for_user(request.membership, pk, write=True)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            was_approved = case_study.is_approved
            actions.add_photo(
                case_study,
                upload=form.cleaned_data["photo"],
                alt_text=form.cleaned_data["alt_text"],
                by=request.user,
            )
            messages.success(request, "The photo is added, without its location or camera data.")
            if was_approved:
                messages.info(request, "An officer approves the story again before it is shown.")
            return redirect("case-study", case_study.pk)
        except (PhotoError, actions.CaseStudyError) as error:
            form.add_error("photo", str(error))
    return _detail(request, case_study, photo_form=form)


@require_POST
@ledger_view()
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    case_study = get_case_study_for_user(request.membership, pk, write=True)
    form = ConsentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_consent(
                case_study,
                person=data["person"],
                given_by=data["given_by"],
                given_on=data["given_on"],
                until=data["until"],
                uses=data["uses"],
                by=request.user,
            )
            messages.success(request, f"{data['person']}'s consent is recorded.")
            return redirect("case-study", case_study.pk)
        except actions.CaseStudyError as error:
            form.add_error(None, str(error))
    return _detail(request, case_study, consent_form=form)


@require_POST
@ledger_view()
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    consent = get_consent_for_writer(request.membership, pk)
    try:
        actions.withdraw_consent(consent, by=request.user, note=request.POST.get("note", ""))
        messages.success(
            request, f"{consent.person}'s consent is withdrawn; the story is no longer published."
        )
    except actions.CaseStudyError as error:
        messages.error(request, str(error))
    return redirect("case-study", consent.case_study_id)


@require_POST
@ledger_view()
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    case_study = get_case_study_for_user(request.membership, pk)
    if not may_approve(request.membership):
        raise Http404("No such case study.")
    try:
        actions.approve_case_study(case_study, by=request.user)
        messages.success(request, "The case study is approved for publication.")
    except actions.CaseStudyError as error:
        messages.error(request, str(error))
    return redirect("case-study", case_study.pk)


@ledger_view()
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A case study's photo, for those who may see the case study."""
    return _photo_response(get_photo_for_user(request.membership, pk))


def public_photo(request: HttpRequest, provider: str, year: str, pk: int) -> FileResponse:
    """A photo of a case study on a published year's public page (public: no sign-in), only
    while every consent in it covers the public page."""
    published = _published(provider, year)
    usable = (
        CaseStudy.objects.for_provider(published.provider)
        .in_year(published.financial_year)
        .usable_for(Use.PUBLIC, timezone.localdate())
    )
    return _photo_response(get_object_or_404(Photo, pk=pk, case_study__in=usable))


def _photo_response(found: Photo) -> FileResponse:
    content_type = "image/png" if found.file.name.endswith(".png") else "image/jpeg"
    response = FileResponse(found.file.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- The press pack: provider staff, for a published year ------------------------------------


@ledger_view(roles=PROVIDER_ROLES)
def press(request: HttpRequest, year: str) -> HttpResponse:
    """The press pack page of a published year."""
    pack = press_pack(_own_published(request, year), timezone.localdate())
    return TemplateResponse(request, "casestudies/press.html", {"pack": pack})


@ledger_view(roles=PROVIDER_ROLES)
def press_download(request: HttpRequest, year: str) -> HttpResponse:
    """The whole press pack as one ZIP."""
    published = _own_published(request, year)
    pack = press_pack(published, timezone.localdate())
    response = HttpResponse(press_zip(pack), content_type="application/zip")
    name = f"press-pack-{published.provider.reference}-{published.year.label}.zip".lower()
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@ledger_view(roles=PROVIDER_ROLES)
def press_image(request: HttpRequest, year: str) -> HttpResponse:
    """The headline figures image (PNG) shown on the press pack page."""
    pack = press_pack(_own_published(request, year), timezone.localdate())
    return HttpResponse(headline_png(pack), content_type="image/png")


def _own_published(request: HttpRequest, year: str) -> PublishedReport:
    provider = provider_of(request.membership)
    return _published_of(provider, year)


def _published(reference: str, year: str) -> PublishedReport:
    provider = get_object_or_404(Organisation.objects.providers(), reference__iexact=reference)
    return _published_of(provider, year)


def _published_of(provider: Organisation, year: str) -> PublishedReport:
    try:
        financial_year = provider.parse_year(year)
    except PeriodError:
        raise Http404("No such year.") from None
    return get_object_or_404(
        PublishedReport.objects.for_provider(provider).live().select_related("provider"),
        financial_year=financial_year.start_year,
    )
