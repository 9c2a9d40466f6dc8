"""The crawl: every page the permission matrix visits, as each persona who may see it.

Read from tests/test_permission_matrix.py's MATRIX, so a page added there (as every new route
must be) is crawled too: the accessibility check and the plain-words check walk the same list.
Only GET routes count, and only answers that are pages (HTML); downloads are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.test import Client

from tests.test_permission_matrix import MATRIX, PERSONAS

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')
HEADER = re.compile(rb'<header class="site">.*?</header>', re.DOTALL)


@dataclass(frozen=True)
class Visit:
    persona: str
    route: str
    url: str
    status: int
    html: str


def client_for(world, persona: str) -> Client:
    """A Django test client signed in as the persona (the anonymous visitor: not signed in)."""
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def crawl(world, *, extra: dict[str, str] | None = None) -> Iterator[Visit]:
    """The HTML pages the GET routes (and the extra URLs, name -> url) answer each persona with,
    404s and sign-in pages included; a page is left out when both its content and its header
    (which holds the persona's menu) were already met on another visit."""
    seen: set[bytes] = set()
    urls = [(route, build(world)) for route, (method, build, _) in sorted(MATRIX.items())]
    urls = [(route, url) for route, url in urls if MATRIX[route][0] == "get"]
    urls += sorted((extra or {}).items())
    for persona in PERSONAS:
        client = client_for(world, persona)
        for route, url in urls:
            response = client.get(url, follow=True)
            if not response["Content-Type"].startswith("text/html"):
                continue
            body = CSRF.sub(b"", response.content)
            header = HEADER.search(body)
            parts = {HEADER.sub(b"", body), header.group() if header else b""}
            if parts <= seen:
                continue
            seen |= parts
            yield Visit(persona, route, url, response.status_code, response.content.decode())
