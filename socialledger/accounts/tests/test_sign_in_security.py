"""Sign-in security: throttling, two-factor codes, password reset, secure production settings."""

import os
import subprocess
import sys

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import PASSWORD, make_user


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_right_password_signs_in(client, olivia_officer):
    assert sign_in(client, "olivia").status_code == 302
    assert client.get("/").status_code == 200


def test_repeated_wrong_passwords_lock_the_name_out_even_for_the_right_one(
    client, olivia_officer, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "olivia", "wrong-password")
    locked = sign_in(client, "olivia")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()


def test_two_factor_set_up_needs_a_working_code(client, olivia_officer):
    client.force_login(olivia_officer)
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=olivia_officer)
    wrong = client.post("/account/two-factor/", {"code": "000000"})
    assert "not right" in wrong.content.decode()
    hurried = client.post("/account/two-factor/", {"code": current_code(device)})
    assert "wait a few seconds" in hurried.content.decode()  # each wrong code slows the next try
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post("/account/two-factor/", {"code": current_code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_turning_two_factor_on_and_off_is_in_the_log(client, olivia_officer):
    from socialledger.audit.models import AuditEvent

    client.force_login(olivia_officer)
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=olivia_officer)
    client.post("/account/two-factor/", {"code": current_code(device)})
    client.post("/account/two-factor/remove/")
    assert not TOTPDevice.objects.filter(user=olivia_officer).exists()
    logged = AuditEvent.objects.filter(action__startswith="user.two_factor").order_by("pk")
    assert [(e.action, e.actor) for e in logged] == [
        ("user.two_factor_added", olivia_officer),
        ("user.two_factor_removed", olivia_officer),
    ]


def test_a_person_with_two_factor_must_give_a_code_after_the_password(client, olivia_officer):
    device = TOTPDevice.objects.create(user=olivia_officer, name="phone", confirmed=True)
    sign_in(client, "olivia")
    response = client.get("/contracts/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/verify/?next=/contracts/")
    client.post(
        "/account/two-factor/verify/", {"code": current_code(device), "next": "/contracts/"}
    )
    assert client.get("/contracts/").status_code == 200


def test_a_provider_can_require_two_factor_of_its_staff(
    client, provider, olivia_officer, cara_contributor
):
    provider.require_two_factor = True
    provider.save()
    client.force_login(olivia_officer)
    assert client.get("/")["Location"].startswith("/account/two-factor/?next=/")
    client.force_login(cara_contributor)  # suppliers are not the provider's staff
    assert client.get("/").status_code == 200


def test_required_two_factor_cannot_be_turned_off(client, provider, olivia_officer):
    device = TOTPDevice.objects.create(user=olivia_officer, name="phone", confirmed=True)
    provider.require_two_factor = True
    provider.save()
    sign_in(client, "olivia")
    client.post("/account/two-factor/verify/", {"code": current_code(device)})
    page = client.post("/account/two-factor/remove/", follow=True)
    assert "cannot be turned off" in page.content.decode()
    assert TOTPDevice.objects.filter(user=olivia_officer).exists()


def test_a_provider_admin_turns_the_requirement_on_and_it_is_audited(client, provider):
    from socialledger.audit.models import AuditEvent

    client.force_login(make_user("ada", provider, Role.PROVIDER_ADMIN))
    client.post("/people/security/", {"required": "on"})
    provider.refresh_from_db()
    assert provider.require_two_factor
    assert AuditEvent.objects.filter(action="provider.two_factor_required").exists()


def test_a_forgotten_password_is_reset_by_email(client, olivia_officer):
    client.post("/accounts/password_reset/", {"email": "olivia@example.org"})
    assert mail.outbox[0].to == ["olivia@example.org"]
    assert "/accounts/reset/" in mail.outbox[0].body


def test_pages_carry_a_content_security_policy_and_refuse_framing(client, olivia_officer):
    client.force_login(olivia_officer)
    response = client.get("/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = {
        **os.environ,
        "SOCIALLEDGER_HTTPS": "true",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "socialvalue.example.org",
        "SECRET_KEY": "k" + "9Xq2-z" * 12,
        "SOCIALLEDGER_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set only for the browser tests' own process
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, "DJANGO_SETTINGS_MODULE": "socialledger.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("path", ["/", "/contracts/", "/people/", "/audit/"])
def test_pages_need_sign_in(client, db, path):
    assert client.get(path)["Location"].startswith("/accounts/login/")
