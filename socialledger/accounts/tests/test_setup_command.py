"""`socialledger setup` starts a provider on an empty database: the provider, its first admin
who can sign in, and where to go next."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from socialledger.accounts.models import Membership, Role
from socialledger.audit.models import AuditEvent
from socialledger.organisations.models import Organisation

STRONG = "correct-horse-battery-staple"


@pytest.fixture
def password_file(tmp_path):
    path = tmp_path / "password"
    path.write_text(STRONG + "\n")
    return str(path)


def run_setup(password_file, **options) -> str:
    out = StringIO()
    flags = {
        "name": "Northway Procurement",
        "reference": "NWPP",
        "username": "ada",
        "email": "Ada@Example.org",
        "password_file": password_file,
        "no_input": True,
        **options,
    }
    call_command("setup", stdout=out, **flags)
    return out.getvalue()


@pytest.mark.django_db
def test_setup_creates_the_provider_and_its_first_admin_who_can_sign_in(client, password_file):
    printed = run_setup(password_file)
    provider = Organisation.objects.providers().get()
    membership = Membership.objects.get()
    assert (provider.reference, provider.name) == ("NWPP", "Northway Procurement")
    assert (membership.organisation, membership.role) == (provider, Role.PROVIDER_ADMIN)
    assert membership.user.email == "ada@example.org"
    assert not membership.user.is_superuser  # the product, not the Django admin, is the way in
    assert "/setup/" in printed
    signed_in = client.post("/accounts/login/", {"username": "ada", "password": STRONG})
    assert signed_in.status_code == 302
    assert client.get("/setup/").status_code == 200


@pytest.mark.django_db
def test_setup_is_audited_in_the_new_providers_log(password_file):
    run_setup(password_file)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"organisation.created", "membership.added"} <= actions


@pytest.mark.django_db
def test_setup_asks_for_what_it_was_not_given(monkeypatch, password_file):
    answers = iter(["Northway Procurement", "NWPP", "ada", "ada@example.org"])
    monkeypatch.setattr("builtins.input", lambda _question: next(answers))
    monkeypatch.setattr("getpass.getpass", lambda _question: STRONG)
    call_command("setup", stdout=StringIO())
    assert Membership.objects.get().user.get_username() == "ada"


@pytest.mark.django_db
def test_setup_refuses_a_weak_password_and_writes_nothing(tmp_path):
    weak = tmp_path / "weak"
    weak.write_text("password")
    with pytest.raises(CommandError, match="too common"):
        run_setup(str(weak))
    assert not Organisation.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_setup_refuses_a_taken_username_or_reference_and_writes_nothing(password_file):
    run_setup(password_file)
    with pytest.raises(CommandError, match="already"):
        run_setup(password_file, reference="OTHER")
    with pytest.raises(CommandError, match="reference"):
        run_setup(password_file, username="bea")
    assert Organisation.objects.count() == 1
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_setup_without_input_says_which_value_is_missing(password_file):
    with pytest.raises(CommandError, match="--email"):
        run_setup(password_file, email="")
