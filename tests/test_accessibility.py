"""Every page meets WCAG 2.2 A and AA as far as axe-core can tell, on a desktop and on a phone.

The crawl (tests/crawl.py) visits every page of the permission matrix as every persona who gets
one, plus the published public pages and the not-found page; axe-core (the npm package the
Makefile installs) checks each at 1280 px and at 390 px wide. Any violation of a WCAG 2.0, 2.1
or 2.2 level A or AA rule fails the test, listed with the page, the persona and the element.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from socialledger.lib.periods import FinancialYear
from socialledger.reports.actions import publish_report
from tests.crawl import client_for, crawl
from tests.test_permission_matrix import world  # noqa: F401 - the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_A_AND_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDTHS = {"desktop": 1280, "phone": 390}
RUN_AXE = (
    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script; CI (SOCIALLEDGER_REQUIRE_BROWSER=1) fails rather than skips without."""
    if not AXE.exists():
        if os.environ.get("SOCIALLEDGER_REQUIRE_BROWSER") == "1":
            pytest.fail(f"No {AXE}; run make setup (it runs npm ci).")
        pytest.skip(f"No {AXE}; run make setup with npm installed")
    return AXE.read_text(encoding="utf-8")


def extra_pages(w) -> dict[str, str]:
    """Pages the matrix world answers 404 for until something is published, and a lost address."""
    # The world's 2023-24 still has a return being filled in, so it goes out as provisional.
    publish_report(w.contract.framework.provider, FinancialYear(2023), by=None, provisional=True)
    return {
        "public-reports (published)": reverse("public-reports", args=["NWPP"]),
        "public-report (published)": reverse("public-report", args=["NWPP", "2023-24"]),
        "press-pack (published)": reverse("press-pack", args=["2023-24"]),
        "not-found": "/no-such-page/",
    }


def violations_on(tab, source: str) -> list[str]:
    """axe-core's WCAG A/AA violations on the page in the tab, one line per element."""
    tab.add_script_tag(content=source)
    result = tab.evaluate(RUN_AXE, WCAG_A_AND_AA)
    return [
        f"{rule['id']} ({rule['impact']}): {node['target']} {node['failureSummary'][:160]!r}"
        for rule in result["violations"]
        for node in rule["nodes"]
    ]


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_no_page_of_the_crawl_breaks_a_wcag_a_or_aa_rule(
    browser,
    live_server,
    world,  # noqa: F811
    axe_source,
    width,
):
    found = []
    contexts = {}
    for visit in crawl(world, extra=extra_pages(world)):
        if visit.persona not in contexts:
            client = client_for(world, visit.persona)
            contexts[visit.persona] = _context(browser, live_server, client, width)
        tab = contexts[visit.persona]
        tab.goto(visit.url)
        found += [f"{visit.route} as {visit.persona}: {v}" for v in violations_on(tab, axe_source)]
    for tab in contexts.values():
        tab.context.close()
    assert found == [], "\n".join(found)


def _context(browser, live_server, client, width: str):
    """A tab at the width, signed in as the persona through a session cookie."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": WIDTHS[width], "height": 900},
        bypass_csp=True,  # axe-core is injected as an inline script
    )
    if settings.SESSION_COOKIE_NAME in client.cookies:
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    return tab
