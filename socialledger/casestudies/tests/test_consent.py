"""Consent: a case study records, for each person named or shown, who gave consent, when, for
which uses and until when. Without current consent it cannot be approved or published; once
consent runs out or is withdrawn the story and its photo leave the public page, its PDF and the
press pack at once, and the audit log keeps the withdrawal. Officers approve; contributors
cannot."""

import io
from datetime import date, timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader

from socialledger.audit.models import AuditEvent
from socialledger.casestudies.actions import (
    CaseStudyError,
    approve_case_study,
    record_consent,
    withdraw_consent,
)
from socialledger.casestudies.models import CaseStudy, Use
from socialledger.casestudies.tests.conftest import GIVEN, consent_of_priya

PUBLIC = "/public/NWPP/2023-24/"


def public_page(client) -> str:
    return client.get(PUBLIC).content.decode()


def public_pdf_text(client) -> str:
    pdf = PdfReader(io.BytesIO(client.get(f"{PUBLIC}report.pdf").content))
    return " ".join(page.extract_text() for page in pdf.pages)


def photo_address(story) -> str:
    return f"{PUBLIC}photos/{story.photos.get().pk}/"


@pytest.fixture
def on_the_public_page(story, published, cara_contributor, olivia_officer):
    """Priya consents to every use until withdrawn; Olivia approves the story."""
    consent_of_priya(story, cara_contributor)
    return approve_case_study(story, by=olivia_officer)


def days_from_now(monkeypatch, days: int) -> date:
    later = timezone.localdate() + timedelta(days=days)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: later)
    return later


# --- What a consent records ---------------------------------------------------------------------


def test_a_consent_records_who_gave_it_when_for_what_and_until_when(story, cara_contributor):
    consent = record_consent(
        story,
        person="Priya Shah",
        given_by="Anita Shah, her mother",
        given_on=GIVEN,
        until=date(2026, 1, 31),
        uses=["internal", "report"],
        by=cara_contributor,
    )
    assert (consent.person, consent.given_by) == ("Priya Shah", "Anita Shah, her mother")
    assert (consent.given_on, consent.until) == (GIVEN, date(2026, 1, 31))
    assert consent.uses == ["internal", "report"]
    assert consent.recorded_by == cara_contributor
    event = AuditEvent.objects.about(story).get(action="case_study.consent_recorded")
    assert event.after == {
        "person": "Priya Shah",
        "given_by": "Anita Shah, her mother",
        "given_on": "2024-02-01",
        "until": "2026-01-31",
        "uses": ["internal", "report"],
        "withdrawn": None,
    }


def test_the_page_shows_each_consent_and_what_the_story_may_be_used_for(
    client, on_the_public_page, cara_contributor
):
    client.force_login(cara_contributor)
    page = client.get(f"/case-studies/{on_the_public_page.pk}/").content.decode()
    assert "Priya Shah" in page
    assert "1 February 2024" in page
    assert "until withdrawn" in page
    assert "On the public report page and its PDF" in page
    assert "In the press pack given to journalists" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"uses": []}, "Choose at least one use"),
        ({"person": " "}, "Name the person"),
        ({"until": date(2024, 1, 1)}, "cannot end before it was given"),
    ],
)
def test_an_incomplete_consent_is_refused(story, cara_contributor, changes, message):
    given = {
        "person": "Priya Shah",
        "given_by": "Priya Shah",
        "given_on": GIVEN,
        "uses": ["public"],
    }
    with pytest.raises(CaseStudyError, match=message):
        record_consent(story, **(given | changes), by=cara_contributor)


def test_on_the_page_a_consent_ending_before_it_began_gets_a_message(
    client, story, cara_contributor
):
    client.force_login(cara_contributor)
    answer = client.post(
        f"/case-studies/{story.pk}/consents/",
        {
            "person": "Priya Shah",
            "given_by": "Priya Shah",
            "given_on": "2024-02-01",
            "until": "2024-01-01",
            "uses": ["public"],
        },
    )
    assert answer.status_code == 200
    assert "Consent cannot end before it was given." in answer.content.decode()
    assert not story.consents.exists()


def test_on_the_page_a_consent_without_a_use_gets_a_message(client, story, cara_contributor):
    client.force_login(cara_contributor)
    answer = client.post(
        f"/case-studies/{story.pk}/consents/",
        {"person": "Priya Shah", "given_by": "Priya Shah", "given_on": "2024-02-01"},
    )
    assert "This field is required." in answer.content.decode()
    assert not story.consents.exists()


# --- Approval -----------------------------------------------------------------------------------


def test_without_consent_a_story_cannot_be_approved(story, olivia_officer):
    with pytest.raises(CaseStudyError, match="Record the consent of each person"):
        approve_case_study(story, by=olivia_officer)
    assert not CaseStudy.objects.get().is_approved


def test_with_consent_run_out_it_cannot_be_approved(story, cara_contributor, olivia_officer):
    consent_of_priya(story, cara_contributor, until=date(2024, 12, 31))
    with pytest.raises(CaseStudyError, match="Consent is not current for: Priya Shah"):
        approve_case_study(story, by=olivia_officer)


def test_with_one_consent_withdrawn_it_cannot_be_approved(story, cara_contributor, olivia_officer):
    consent_of_priya(story, cara_contributor)
    record_consent(
        story,
        person="Joe Bell",
        given_by="Joe Bell",
        given_on=GIVEN,
        uses=["public"],
        by=cara_contributor,
    )
    withdraw_consent(story.consents.get(person="Joe Bell"), by=cara_contributor)
    with pytest.raises(CaseStudyError, match="Consent is not current for: Joe Bell"):
        approve_case_study(story, by=olivia_officer)


def test_olivia_approves_a_story_with_current_consent(
    client, story, cara_contributor, olivia_officer
):
    consent_of_priya(story, cara_contributor)
    client.force_login(olivia_officer)
    answer = client.post(f"/case-studies/{story.pk}/approve/", follow=True)
    assert "approved for publication" in answer.content.decode()
    story.refresh_from_db()
    assert story.approved_by == olivia_officer
    assert AuditEvent.objects.about(story).filter(action="case_study.approved").exists()


def test_on_the_page_approving_without_consent_says_why(client, story, olivia_officer):
    client.force_login(olivia_officer)
    answer = client.post(f"/case-studies/{story.pk}/approve/", follow=True)
    assert "Record the consent of each person named or shown first." in answer.content.decode()
    assert not CaseStudy.objects.get().is_approved


def test_cara_who_wrote_it_cannot_approve_it(client, story, cara_contributor):
    consent_of_priya(story, cara_contributor)
    client.force_login(cara_contributor)
    page = client.get(f"/case-studies/{story.pk}/").content.decode()
    assert "Approve for publication" not in page
    assert client.post(f"/case-studies/{story.pk}/approve/").status_code == 404
    assert not CaseStudy.objects.get().is_approved


def test_an_approved_story_without_a_use_for_the_public_stays_off_the_public_page(
    client, story, published, cara_contributor, olivia_officer
):
    consent_of_priya(story, cara_contributor, uses=["internal", "report"])
    approve_case_study(story, by=olivia_officer)
    assert escape(story.title) not in public_page(client)
    assert client.get(photo_address(story)).status_code == 404


def test_a_photo_added_after_approval_waits_for_an_officer_again(
    client, on_the_public_page, cara_contributor, olivia_officer
):
    from socialledger.casestudies.tests.helpers import jpeg_with_exif, upload

    client.force_login(cara_contributor)
    answer = client.post(
        f"/case-studies/{on_the_public_page.pk}/photos/",
        {"photo": upload(jpeg_with_exif((640, 480))), "alt_text": "A second drawing"},
        follow=True,
    )
    assert "An officer approves the story again" in answer.content.decode()
    client.logout()
    assert escape(on_the_public_page.title) not in public_page(client)
    approve_case_study(on_the_public_page, by=olivia_officer)
    assert 'alt="A second drawing"' in public_page(client)


def test_a_draft_with_consent_is_not_published_before_approval(
    client, story, published, cara_contributor
):
    consent_of_priya(story, cara_contributor)
    assert escape(story.title) not in public_page(client)
    assert client.get(photo_address(story)).status_code == 404
    assert list(CaseStudy.objects.usable_for(Use.INTERNAL, timezone.localdate())) == [story]


# --- On the public page, and off it ---------------------------------------------------------------


def test_an_approved_story_with_consent_is_on_the_public_page_with_its_photo(
    client, on_the_public_page
):
    page = public_page(client)
    assert escape(on_the_public_page.title) in page
    assert photo_address(on_the_public_page) in page
    assert 'alt="A drawing of an apprentice holding a roll of insulation"' in page
    assert client.get(photo_address(on_the_public_page)).status_code == 200
    assert on_the_public_page.title in public_pdf_text(client)


def test_withdrawing_consent_takes_the_story_and_its_photo_off_at_once(
    client, on_the_public_page, cara_contributor
):
    client.force_login(cara_contributor)
    consent = on_the_public_page.consents.get()
    answer = client.post(
        f"/case-studies/consents/{consent.pk}/withdraw/",
        {"note": "Priya asked by phone"},
        follow=True,
    )
    assert "consent is withdrawn" in answer.content.decode()
    client.logout()
    assert escape(on_the_public_page.title) not in public_page(client)
    assert client.get(photo_address(on_the_public_page)).status_code == 404
    assert on_the_public_page.title not in public_pdf_text(client)


def test_the_audit_log_keeps_the_withdrawal(on_the_public_page, cara_contributor):
    withdraw_consent(
        on_the_public_page.consents.get(), by=cara_contributor, note="Priya asked by phone"
    )
    event = AuditEvent.objects.about(on_the_public_page).get(action="case_study.consent_withdrawn")
    assert event.before["withdrawn"] is None
    assert event.after["withdrawn"] is not None
    assert event.after["person"] == "Priya Shah"
    assert event.note == "Priya asked by phone"
    assert event.actor == cara_contributor


def test_a_consent_is_withdrawn_once(on_the_public_page, cara_contributor):
    consent = on_the_public_page.consents.get()
    withdraw_consent(consent, by=cara_contributor)
    with pytest.raises(CaseStudyError, match="already withdrawn"):
        withdraw_consent(consent, by=cara_contributor)


def test_the_day_after_consent_runs_out_the_story_and_photo_are_gone(
    client, monkeypatch, story, published, cara_contributor, olivia_officer
):
    last_day = timezone.localdate() + timedelta(days=30)
    consent_of_priya(story, cara_contributor, until=last_day)
    approve_case_study(story, by=olivia_officer)
    days_from_now(monkeypatch, 30)
    assert escape(story.title) in public_page(client)
    assert client.get(photo_address(story)).status_code == 200
    days_from_now(monkeypatch, 31)
    assert escape(story.title) not in public_page(client)
    assert client.get(photo_address(story)).status_code == 404
    assert story.title not in public_pdf_text(client)
    client.force_login(cara_contributor)
    assert "Run out" in client.get(f"/case-studies/{story.pk}/").content.decode()


def test_a_rival_cannot_withdraw_someone_elses_consent(
    client, on_the_public_page, sam_rival_supplier
):
    client.force_login(sam_rival_supplier)
    consent = on_the_public_page.consents.get()
    assert client.post(f"/case-studies/consents/{consent.pk}/withdraw/").status_code == 404
    consent.refresh_from_db()
    assert consent.state(timezone.localdate()) == "current"
