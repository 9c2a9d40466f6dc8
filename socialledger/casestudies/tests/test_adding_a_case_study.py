"""Suppliers and officers add case studies to a contract and a year: a title, the story, the
measures it illustrates and an optional quote. A missing part is refused with a message saying
what to add; people who only read never see the form."""

import pytest
from django.utils.html import escape

from socialledger.audit.models import AuditEvent
from socialledger.casestudies.actions import CaseStudyError, add_case_study
from socialledger.casestudies.models import CaseStudy
from socialledger.returns.tests.factories import measure


def form(contract, **changes) -> dict:
    data = {
        "contract": contract.pk,
        "year": "2023-24",
        "title": "Tomasz's route back into work",
        "story": "After two years out of work Tomasz joined the DEC-001 crew as a labourer.",
        "quote": "",
        "quoted": "",
        "measures": [measure("jobs-created").pk],
    }
    return data | changes


def test_cara_adds_a_case_study_to_her_contract(client, contract, cara_contributor):
    client.force_login(cara_contributor)
    answer = client.post("/case-studies/new/", form(contract), follow=True)
    case_study = CaseStudy.objects.get()
    assert answer.redirect_chain[-1][0] == f"/case-studies/{case_study.pk}/"
    assert "Record each person" in answer.content.decode()
    assert case_study.contract == contract
    assert case_study.financial_year == 2023
    assert case_study.added_by == cara_contributor
    assert [m.code for m in case_study.measures.all()] == ["jobs-created"]
    assert not case_study.is_approved


def test_olivia_adds_one_to_any_contract_of_her_provider(client, contract, olivia_officer):
    client.force_login(olivia_officer)
    client.post("/case-studies/new/", form(contract, title="Larkfield's warm homes day"))
    assert CaseStudy.objects.get().title == "Larkfield's warm homes day"


def test_adding_one_is_in_the_audit_log(contract, cara_contributor):
    case_study = add_case_study(
        contract, financial_year=2023, title="A title", story="A story.", by=cara_contributor
    )
    event = AuditEvent.objects.about(case_study).get()
    assert event.action == "case_study.added"
    assert event.after["contract"] == "DEC-001"
    assert event.after["year"] == "2023-24"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"story": ""}, "This field is required."),
        ({"year": "the year before last"}, "is not a financial year"),
        ({"quote": "It changed my life.", "quoted": ""}, "Say who said the quote."),
    ],
)
def test_a_missing_part_is_refused_with_a_message(
    client, contract, cara_contributor, changes, message
):
    client.force_login(cara_contributor)
    answer = client.post("/case-studies/new/", form(contract, **changes))
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not CaseStudy.objects.exists()


def test_a_blank_story_is_refused_by_the_action_too(contract, cara_contributor):
    with pytest.raises(CaseStudyError, match="a title and its story"):
        add_case_study(contract, financial_year=2023, title="  ", story=" ", by=cara_contributor)


def test_cara_cannot_choose_another_suppliers_contract(
    client, contract, rival_contract, cara_contributor
):
    client.force_login(cara_contributor)
    answer = client.post("/case-studies/new/", form(rival_contract))
    assert "Select a valid choice" in answer.content.decode()
    assert not CaseStudy.objects.exists()


def test_mo_who_only_reads_has_no_form(client, contract, mo_member_viewer):
    client.force_login(mo_member_viewer)
    assert client.get("/case-studies/new/").status_code == 404
    assert client.post("/case-studies/new/", form(contract)).status_code == 404
    assert not CaseStudy.objects.exists()


def test_the_list_shows_each_person_the_stories_on_their_contracts(
    client, story, sam_rival_supplier, mo_member_viewer
):
    client.force_login(mo_member_viewer)
    assert escape(story.title) in client.get("/case-studies/").content.decode()
    client.force_login(sam_rival_supplier)
    assert escape(story.title) not in client.get("/case-studies/").content.decode()


@pytest.mark.parametrize("persona", ["cara_contributor", "olivia_officer", "mo_member_viewer"])
def test_case_studies_are_in_the_menu(request, client, contract, persona):
    client.force_login(request.getfixturevalue(persona))
    assert '<a href="/case-studies/">Case studies</a>' in client.get("/contracts/").content.decode()
