"""The writes on case studies: each one typed function with its audit event, called by every
door (the pages, the demo)."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from socialledger.audit.actions import record
from socialledger.casestudies.models import CaseStudy, Consent, Photo, Use
from socialledger.casestudies.photos import cleaned_photo


class CaseStudyError(ValueError):
    """A case study change that cannot be made; the message says why."""


@transaction.atomic
def add_case_study(
    contract,
    *,
    financial_year: int,
    title: str,
    story: str,
    measures=(),
    quote: str = "",
    quoted: str = "",
    by,
) -> CaseStudy:
    """Add a story to a contract and year; it is a draft until an officer approves it."""
    if not title.strip() or not story.strip():
        raise CaseStudyError("A case study needs a title and its story.")
    if quote.strip() and not quoted.strip():
        raise CaseStudyError("Say who said the quote.")
    provider = contract.framework.provider
    case_study = CaseStudy.objects.create(
        provider=provider,
        contract=contract,
        financial_year=financial_year,
        title=title.strip(),
        story=story.strip(),
        quote=quote.strip(),
        quoted=quoted.strip(),
        added_by=_user(by),
    )
    case_study.measures.set(measures)
    record(case_study, "case_study.added", by=by, provider=provider, after=_describe(case_study))
    return case_study


@transaction.atomic
def add_photo(case_study: CaseStudy, *, upload: UploadedFile, alt_text: str, by) -> Photo:
    """Add a photo, resized and with its location and camera data removed, with its alt text.
    A photo added to an approved story returns it to draft: an officer sees every photo that is
    published."""
    if not alt_text.strip():
        raise CaseStudyError("Describe what the photo shows, for people who cannot see it.")
    content, width, height = cleaned_photo(upload)
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    if case_study.is_approved:
        case_study.approved_at = case_study.approved_by = None
        case_study.save(update_fields=["approved_at", "approved_by"])
    photo = Photo(
        case_study=case_study,
        alt_text=alt_text.strip(),
        width=width,
        height=height,
        added_by=_user(by),
    )
    photo.file.save(content.name, content, save=False)
    photo.save()
    record(
        case_study,
        "case_study.photo_added",
        by=by,
        provider=case_study.provider,
        after={
            "photo": photo.pk,
            "alt_text": photo.alt_text,
            "size": f"{width}×{height}",
            "approved": case_study.is_approved,
        },
    )
    return photo


@transaction.atomic
def record_consent(
    case_study: CaseStudy,
    *,
    person: str,
    given_by: str,
    given_on: date,
    uses: list[str],
    until: date | None = None,
    by,
) -> Consent:
    """Record one person's consent: who gave it, when, for which uses and until when."""
    unknown = set(uses) - set(Use.values)
    if unknown or not uses:
        raise CaseStudyError("Choose at least one use the person agreed to.")
    if not person.strip() or not given_by.strip():
        raise CaseStudyError("Name the person and who gave consent.")
    if until and until < given_on:
        raise CaseStudyError("Consent cannot end before it was given.")
    consent = Consent.objects.create(
        case_study=case_study,
        person=person.strip(),
        given_by=given_by.strip(),
        given_on=given_on,
        until=until,
        recorded_by=_user(by),
        **{f"for_{value}": value in uses for value in Use.values},
    )
    record(
        case_study,
        "case_study.consent_recorded",
        by=by,
        provider=case_study.provider,
        after=_describe_consent(consent),
    )
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, by, note: str = "") -> Consent:
    """Withdraw a consent: from now on the case study is in no new publication and off the
    public page and press pack at once; the log keeps the withdrawal."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at:
        raise CaseStudyError(f"{consent.person}'s consent is already withdrawn.")
    before = _describe_consent(consent)
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = _user(by)
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    record(
        consent.case_study,
        "case_study.consent_withdrawn",
        by=by,
        provider=consent.case_study.provider,
        before=before,
        after=_describe_consent(consent),
        note=note,
    )
    return consent


@transaction.atomic
def approve_case_study(case_study: CaseStudy, *, by) -> CaseStudy:
    """An officer approves a case study for publication; only with every consent current."""
    today = timezone.localdate()
    case_study = CaseStudy.objects.select_for_update().get(pk=case_study.pk)
    if case_study.is_approved:
        raise CaseStudyError("This case study is already approved.")
    consents = list(case_study.consents.all())
    if not consents:
        raise CaseStudyError("Record the consent of each person named or shown first.")
    lapsed = [c.person for c in consents if c.state(today) != "current"]
    if lapsed:
        raise CaseStudyError(f"Consent is not current for: {', '.join(lapsed)}.")
    case_study.approved_at = timezone.now()
    case_study.approved_by = _user(by)
    case_study.save(update_fields=["approved_at", "approved_by"])
    record(
        case_study,
        "case_study.approved",
        by=by,
        provider=case_study.provider,
        after=_describe(case_study),
    )
    return case_study


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _describe(case_study: CaseStudy) -> dict:
    return {
        "title": case_study.title,
        "contract": case_study.contract.reference,
        "year": case_study.year.label,
        "measures": sorted(m.code for m in case_study.measures.all()),
        "approved": case_study.is_approved,
    }


def _describe_consent(consent: Consent) -> dict:
    return {
        "person": consent.person,
        "given_by": consent.given_by,
        "given_on": consent.given_on.isoformat(),
        "until": consent.until.isoformat() if consent.until else None,
        "uses": consent.uses,
        "withdrawn": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
    }
