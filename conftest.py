"""Shared fixtures: the personas every test speaks of.

- a provider ("Northway") with a framework, a member and a supplier;
- Olivia, a provider officer at Northway; Cara, a supplier contributor at Northway's supplier;
  Mo, a member viewer at Northway's member;
- Otto, an outsider: a supplier contributor at another provider's supplier.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from socialledger.accounts.models import Role
from socialledger.accounts.tests.factories import make_user
from socialledger.contracts.tests.factories import make_contract, make_framework
from socialledger.organisations.tests.factories import make_member, make_provider, make_supplier


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden from the current output, then review the diff",
    )
    parser.addoption(
        "--stress",
        action="store_true",
        help="Run the crash, concurrency and load tests at full length (`make stress`)",
    )


@pytest.fixture
def stress(request) -> bool:
    """True under `make stress`: long-running tests then run at full length, else reduced."""
    return request.config.getoption("--stress")


@pytest.fixture
def golden(request):
    """Compare text with a file in tests/golden; --update-golden rewrites the file instead."""
    from pathlib import Path

    def check(name: str, text: str) -> None:
        path = Path(__file__).resolve().parent / "tests" / "golden" / name
        if request.config.getoption("--update-golden"):
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"{path} is missing; run pytest --update-golden and review it"
        assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"

    return check


CHROMIUM = os.environ.get("SOCIALLEDGER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright. CI sets SOCIALLEDGER_REQUIRE_BROWSER=1 so that a
    missing browser fails the run instead of skipping these tests."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("SOCIALLEDGER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"No Chromium at {CHROMIUM}; install Debian's chromium package.")
        pytest.skip(f"No Chromium at {CHROMIUM}; browser tests skipped (apt install chromium)")
    # Playwright's synchronous API runs an event loop in this thread; the tests' own database
    # calls are still made synchronously, so Django's async-safety guard is relaxed for them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab; `page.base_url` is the live test server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def sign_in_with_browser():
    """Sign a persona in through the real sign-in page."""
    from socialledger.accounts.tests.factories import PASSWORD

    def sign_in(page, username: str, password: str = PASSWORD) -> None:
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state()

    return sign_in


@pytest.fixture(autouse=True)
def no_kept_reports():
    """Each test starts with no reports kept from the last: its database is new, but its ids
    and its (perhaps empty) audit chains can look just like the last test's."""
    from socialledger.reports.queries import forget_kept_reports

    forget_kept_reports()


@pytest.fixture(autouse=True)
def files_in_the_tests_own_folder(settings, tmp_path):
    """Uploads (evidence, case study photos, the demo's drawn pictures) go to the test's own
    temporary folder, never to the working copy's data folder; a test may choose its own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests sign people in often; a fast hasher keeps them quick (production keeps PBKDF2)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def jobs_run_at_once(settings):
    """Background jobs run inside the request that starts them (the task library's immediate
    backend), so tests of pages and imports need no worker; the worker itself is tested in
    socialledger/jobs/tests/test_worker.py against a real `socialledger worker` process."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def provider(db):
    return make_provider("NWPP", "Northway Procurement")


@pytest.fixture
def member(provider):
    return make_member(provider, "LFH", "Larkfield Homes")


@pytest.fixture
def supplier(provider):
    return make_supplier(provider, "CRS", "Calder Retrofit Services")


@pytest.fixture
def framework(provider):
    return make_framework(provider, "DEC", lots=("1", "2"))


@pytest.fixture
def contract(framework, member, supplier):
    return make_contract(framework, "DEC-001", member=member, supplier=supplier, value="2000000")


@pytest.fixture
def other_provider(db):
    return make_provider("OTHER", "Another Provider")


@pytest.fixture
def olivia_officer(provider):
    return make_user("olivia", provider, Role.PROVIDER_OFFICER)


@pytest.fixture
def cara_contributor(supplier):
    return make_user("cara", supplier, Role.SUPPLIER_CONTRIBUTOR)


@pytest.fixture
def mo_member_viewer(member):
    return make_user("mo", member, Role.MEMBER_VIEWER)


@pytest.fixture
def otto_outsider(other_provider):
    return make_user("otto", make_supplier(other_provider, "OTS"), Role.SUPPLIER_CONTRIBUTOR)


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server for the run (moto's server mode), on an unused local port or
    the one SOCIALLEDGER_TEST_S3_PORT gives."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(
        ip_address="127.0.0.1",
        port=int(os.environ.get("SOCIALLEDGER_TEST_S3_PORT", "0")),
        verbose=False,
    )
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


# moto takes any keys; these are the test run's own.
S3_KEYS = {
    "SOCIALLEDGER_S3_ACCESS_KEY_ID": "test-key",
    "SOCIALLEDGER_S3_SECRET_ACCESS_KEY": "test-secret",
}


@pytest.fixture
def object_storage(settings, monkeypatch, s3_server):
    """Evidence in a new, empty bucket, configured by the environment variables docs/deploy.md
    gives; yields the bucket as boto3 sees it."""
    import uuid

    import boto3

    from socialledger.settings import _file_storage

    bucket = f"evidence-{uuid.uuid4().hex[:12]}"
    environment = {
        "SOCIALLEDGER_S3_BUCKET": bucket,
        "SOCIALLEDGER_S3_ENDPOINT_URL": s3_server,
        "SOCIALLEDGER_S3_REGION": "eu-west-2",
        **S3_KEYS,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    s3 = boto3.resource(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-west-2",
        aws_access_key_id=S3_KEYS["SOCIALLEDGER_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["SOCIALLEDGER_S3_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    settings.STORAGES = {**settings.STORAGES, "default": _file_storage()}
    found = s3.Bucket(bucket)
    found.environment = environment
    return found
