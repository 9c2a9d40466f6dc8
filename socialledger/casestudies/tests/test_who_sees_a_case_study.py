"""Who sees a case study: provider staff all of their provider's, a supplier or member those on
its own contracts. Sam at Mersey Groundworks, a rival supplier, and Rhea at Ashby Housing, a
rival member, get the same 404 as for a story that does not exist; so does Otto, at another
provider."""

import pytest
from django.utils.html import escape

from socialledger.casestudies.tests.conftest import consent_of_priya
from socialledger.casestudies.tests.helpers import jpeg_with_exif, upload

OUTSIDERS = ["sam_rival_supplier", "rhea_rival_member", "otto_outsider"]
READERS = ["cara_contributor", "olivia_officer", "ada_admin", "mo_member_viewer"]


def addresses(story) -> list[str]:
    return [f"/case-studies/{story.pk}/", f"/case-studies/photos/{story.photos.get().pk}/"]


@pytest.mark.parametrize("persona", READERS)
def test_people_on_the_contract_and_its_provider_see_it(request, client, story, persona):
    client.force_login(request.getfixturevalue(persona))
    for address in addresses(story):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_rivals_and_outsiders_get_not_found(request, client, story, persona):
    client.force_login(request.getfixturevalue(persona))
    for address in addresses(story):
        assert client.get(address).status_code == 404
    assert escape(story.title) not in client.get("/case-studies/").content.decode()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_rivals_and_outsiders_cannot_change_it(request, client, story, cara_contributor, persona):
    consent = consent_of_priya(story, cara_contributor)
    client.force_login(request.getfixturevalue(persona))
    consent_form = {"person": "X", "given_by": "X", "given_on": "2024-02-01", "uses": ["press"]}
    photo_form = {"photo": upload(jpeg_with_exif((80, 60))), "alt_text": "A picture"}
    for address, data in [
        (f"/case-studies/{story.pk}/consents/", consent_form),
        (f"/case-studies/{story.pk}/photos/", photo_form),
        (f"/case-studies/{story.pk}/approve/", {}),
        (f"/case-studies/consents/{consent.pk}/withdraw/", {}),
    ]:
        assert client.post(address, data).status_code == 404
    story.refresh_from_db()
    assert (story.consents.count(), story.photos.count(), story.is_approved) == (1, 1, False)


def test_mo_reads_it_but_sees_no_forms(client, story, mo_member_viewer):
    client.force_login(mo_member_viewer)
    page = client.get(f"/case-studies/{story.pk}/").content.decode()
    assert "Record the consent" not in page
    assert "Add the photo" not in page
    assert "Approve for publication" not in page


def test_signed_out_people_are_sent_to_sign_in(client, story):
    for address in addresses(story):
        assert client.get(address).status_code == 302


def test_a_public_photo_address_only_answers_for_its_own_provider_and_year(
    client, story, published, provider, cara_contributor, olivia_officer, other_provider
):
    from socialledger.casestudies.actions import approve_case_study

    consent_of_priya(story, cara_contributor)
    approve_case_study(story, by=olivia_officer)
    photo = story.photos.get()
    assert client.get(f"/public/NWPP/2023-24/photos/{photo.pk}/").status_code == 200
    assert client.get(f"/public/NWPP/2022-23/photos/{photo.pk}/").status_code == 404
    assert client.get(f"/public/OTHER/2023-24/photos/{photo.pk}/").status_code == 404
    assert client.get(f"/public/NWPP/nonsense/photos/{photo.pk}/").status_code == 404
