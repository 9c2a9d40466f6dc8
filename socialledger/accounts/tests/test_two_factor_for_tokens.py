"""When a provider requires two-factor sign-in, its staff's API tokens stop working until the
person has enrolled: a token made before the requirement cannot go round it."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from socialledger.accounts.actions import require_two_factor
from socialledger.accounts.tests.factories import make_token
from tests.api_helpers import ApiClient


def test_a_token_made_before_the_requirement_stops_until_its_person_enrols(
    olivia_officer, provider
):
    secret = make_token(olivia_officer)
    assert ApiClient(secret).get("/me").status_code == 200
    require_two_factor(provider, required=True, by=None)
    refused = ApiClient(secret).get("/me")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "two_factor_required"
    assert "Turn it on on the web" in refused.json()["error"]["message"]
    TOTPDevice.objects.create(user=olivia_officer, name="phone", confirmed=True)
    assert ApiClient(secret).get("/me").status_code == 200


def test_a_suppliers_token_is_not_the_providers_to_stop(cara_contributor, provider):
    secret = make_token(cara_contributor)
    require_two_factor(provider, required=True, by=None)
    assert ApiClient(secret).get("/me").status_code == 200


def test_an_unauthenticated_answer_names_the_bearer_scheme(db):
    for secret in (None, "sl_00000000_not-a-real-token"):
        answer = ApiClient(secret).get("/me")
        assert answer.status_code == 401
        assert answer["WWW-Authenticate"] == 'Bearer realm="Social Ledger API"'
