"""Pages are for people: no page of the crawl shows a shell command, a file of the code base or
a machine's `key=value` breakdown, and money reads "£750", never "750 £".

The crawl (tests/crawl.py) is every page of the permission matrix as every persona, plus a page
that lists an entry with breakdowns; only the words a reader sees are read (not addresses).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.urls import reverse

from socialledger.lib.periods import FinancialYear
from socialledger.returns.tests.factories import make_return
from tests.crawl import crawl
from tests.test_permission_matrix import world  # noqa: F401 - the fixture

MACHINE_WORDS = {
    "a command": re.compile(r"\bsocialledger [a-z_]+"),
    "a file of the code base": re.compile(r"\bdocs/[\w/.-]+|\b[\w/]+\.(?:md|py)\b"),
    "a key=value breakdown": re.compile(r"\b[a-z][\w-]*=[\w-]+"),
    "money with the £ after it": re.compile(r"\d £(?![\d£])"),
}


class VisibleText(HTMLParser):
    """The text a reader sees: everything outside tags, scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def test_no_page_of_the_crawl_shows_a_command_a_code_path_or_key_value_text(world):  # noqa: F811
    supplier = world.contract.supplier
    breakdowns = {"sector": "construction", "role": "Site Manager"}
    make_return(
        supplier, [(world.contract, "jobs-created", 3, breakdowns)], year=FinancialYear(2021)
    )
    extra = {"contract with breakdowns": reverse("contract-detail", args=[world.contract.pk])}
    found, pages = [], 0
    for visit in crawl(world, extra=extra):
        pages += 1
        text = visible_text(visit.html)
        for what, pattern in MACHINE_WORDS.items():
            found += [
                f"{visit.route} as {visit.persona}: {what}: {m!r}" for m in pattern.findall(text)
            ]
    assert pages > 40
    assert found == [], "\n".join(found)


def test_breakdowns_read_as_words_on_the_contract_page(world, client):  # noqa: F811
    supplier = world.contract.supplier
    breakdowns = {"sector": "construction", "role": "Site Manager"}
    make_return(
        supplier, [(world.contract, "jobs-created", 3, breakdowns)], year=FinancialYear(2021)
    )
    client.force_login(world.users["officer"])
    page = client.get(reverse("contract-detail", args=[world.contract.pk])).content.decode()
    assert "Sector: Construction · Job role: Site Manager" in page
