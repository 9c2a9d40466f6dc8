"""The API's OpenAPI schema and interactive docs are served by the app itself: Swagger UI from
the package's own static files (no CDN), working under the site's Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from socialledger.accounts.tests.factories import make_token
from socialledger.returns.tests.factories import make_return


def test_the_schema_describes_every_operation_and_the_token(db):
    schema = Client().get("/api/v1/openapi.json").json()
    assert schema["info"]["title"] == "Social Ledger API"
    assert "/api/v1/returns/{return_id}/verify" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    error = schema["components"]["schemas"]["ErrorOut"]
    assert error["required"] == ["error"]


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(db):
    client = Client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert all(source.startswith("/static/") for source in sources), sources
    assert "<script>" not in html  # no inline script: the page's settings are JSON data
    assert "script-src 'self'" in page["Content-Security-Policy"]
    for source in sources:
        assert client.get(source).status_code == 200, source


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_docs_page_works_in_a_browser_under_the_csp(page, olivia_officer, supplier, contract):
    make_return(supplier, [(contract, "jobs-created", 4)])
    secret = make_token(olivia_officer, can_write=False)
    problems = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 29
    # Try an operation as a person would: authorise with the token, then call /me.
    page.click("button.authorize")
    page.fill(".auth-container input", secret)
    page.click(".auth-btn-wrapper button.authorize")
    page.click(".btn-done")
    page.click("#operations-Token-socialledger_accounts_api_me")
    page.click("button.try-out__btn")
    page.click("button.execute")
    page.wait_for_selector(".live-responses-table .response-col_status")
    assert "olivia" in page.locator(".live-responses-table").inner_text()
    assert problems == []
