"""A bounded load test on loopback: the product served by a real WSGI server (gunicorn, several
worker processes with threads), and a small threaded HTTP client that keeps N connections busy
with a mix of pages for the demo's people, then reports what it saw.

The client is the standard library's http.client, one keep-alive connection per thread: a load
tool such as Locust would bring gevent, a web interface and its own process model for what is
here about a hundred lines, and a lighter client takes less of the CPU it shares with the server.

Used by the load tests (tests/test_load.py, reduced; full under `make stress`) and by
`make bench`, which takes `dashboard_against_trivial` for its figure.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from socialledger.lib.instances import Instance

DEMO_PASSWORD = "socialledger-demo"  # noqa: S105 - the demo's published password
TRIVIAL_PAGE = "/accounts/login/"  # the sign-in page for a visitor: a template and nothing else


@dataclass(frozen=True)
class Visit:
    """One request of the mix: who makes it ("" for a visitor not signed in), and the answer
    expected (anything else counts as a failed request)."""

    who: str
    path: str
    expect: int = 200
    token: str = ""  # an API token: sent as a bearer token instead of the person's session


@dataclass
class LoadFigures:
    """What a load run saw: every request's latency, and every failure in words."""

    connections: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    reconnects: int = 0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        """Latency in milliseconds below which `share` of the requests were answered."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    def summary(self) -> str:
        return (
            f"{self.requests} requests in {self.seconds:.1f} s over {self.connections} "
            f"connections: {self.rps:.1f} requests/s, latency p50 {self.percentile(0.5):.0f} ms, "
            f"p95 {self.percentile(0.95):.0f} ms, p99 {self.percentile(0.99):.0f} ms, "
            f"{len(self.failures)} failed"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(instance: Instance, *, workers: int = 4, threads: int = 8, **env: str) -> Iterator[str]:
    """Serve the instance with gunicorn on a free loopback port until the block ends; yields the
    base URL. Its log is kept in the instance's folder as server.log."""
    port = free_port()
    log_path = instance.folder / "server.log"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "socialledger.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=gthread",
        f"--threads={threads}",
        "--keep-alive=10",
        "--timeout=120",
    ]
    # The load measures the server, not the API's per-token throttle (docs/api.md).
    env = {"SOCIALLEDGER_API_RATE": "1000000/min", **env}
    with log_path.open("ab") as log:
        server = subprocess.Popen(  # noqa: S603 - our own server, arguments we chose
            command, env={**instance.env, **env}, stdout=log, stderr=log
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base, server, log_path)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_until_serving(base: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"The server stopped at start:\n{log.read_text()[-3000:]}")
        try:
            if Client(base).request("GET", TRIVIAL_PAGE)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"The server did not answer within a minute:\n{log.read_text()[-3000:]}")


class Client:
    """One keep-alive HTTP connection to the server; cookies are given per request."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.connection: http.client.HTTPConnection | None = None
        self.reconnects = 0

    def request(
        self,
        method: str,
        path: str,
        *,
        cookies: dict | None = None,
        form: dict | None = None,
        token: str = "",
    ) -> tuple[int, bytes, list[str]]:
        """Status, body and Set-Cookie headers. A kept-alive connection the server has closed
        meanwhile is opened again once, as browsers do."""
        headers = {"Host": f"{self.host}:{self.port}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if cookies and "csrftoken" in cookies:
                headers["X-CSRFToken"] = cookies["csrftoken"]
        for attempt in range(2):
            fresh = self.connection is None
            if fresh:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                set_cookies = response.headers.get_all("Set-Cookie") or []
                if response.getheader("Connection", "").lower() == "close":
                    self.close()
                return response.status, content, set_cookies
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if fresh or attempt:
                    raise
                self.reconnects += 1
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def sign_in(base: str, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
    """Sign in through the real sign-in page; the cookies of the signed-in session."""
    client, cookies = Client(base), {}
    status, _body, set_cookies = client.request("GET", TRIVIAL_PAGE)
    cookies |= _cookies(set_cookies)
    status, _body, set_cookies = client.request(
        "POST",
        TRIVIAL_PAGE,
        cookies=cookies,
        form={"username": username, "password": password},
    )
    cookies |= _cookies(set_cookies)
    client.close()
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"{username} could not sign in (answer {status}).")
    return cookies


def _cookies(set_cookies: list[str]) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for header in set_cookies:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def run_load(
    base: str,
    visits: Sequence[Visit],
    *,
    connections: int = 32,
    seconds: float = 60.0,
    password: str = DEMO_PASSWORD,
) -> LoadFigures:
    """Keep `connections` connections busy for `seconds`, each going round the visits (each
    starting at a different one); every answer other than the one expected is a failure."""
    people = {v.who for v in visits if not v.token} - {""}
    sessions = {who: sign_in(base, who, password) for who in sorted(people)}
    figures = LoadFigures(connections, seconds)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def connection(index: int) -> None:
        client, position, seen, failed = Client(base), index % len(visits), [], []
        while time.monotonic() < deadline:
            visit = visits[position]
            position = (position + 1) % len(visits)
            started = time.perf_counter()
            try:
                status = client.request(
                    "GET", visit.path, cookies=sessions.get(visit.who), token=visit.token
                )[0]
            except OSError as error:
                status, client = -1, Client(base)
                failed.append(f"{visit.who or 'visitor'} {visit.path}: {error!r}")
            seen.append(time.perf_counter() - started)
            if status not in (visit.expect, -1):
                failed.append(f"{visit.who or 'visitor'} {visit.path}: {status}")
        client.close()
        with lock:
            figures.latencies += seen
            figures.failures += failed
            figures.reconnects += client.reconnects

    threads = [threading.Thread(target=connection, args=(i,)) for i in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures.seconds = time.monotonic() - started
    return figures


def demo_visits(instance: Instance, *, pdf: bool = True) -> list[Visit]:
    """The mix of pages and API calls each demo person uses, with the ids of the demo's own
    objects and a read-only API token each. The PDF report takes seconds of one worker's time;
    `pdf=False` leaves it out of a short run."""
    ids = dict(
        line.split("=", 1)
        for line in instance.shell(_DEMO_IDS).splitlines()
        if "=" in line and not line.startswith(" ")
    )
    visits = [
        Visit("", TRIVIAL_PAGE),
        Visit("demo", "/"),
        Visit("demo", "/?year=2022-23&basis=reported"),
        Visit("demo", "/contracts/"),
        Visit("demo", f"/contracts/{ids['contract']}/"),
        Visit("demo", "/returns/"),
        Visit("demo", f"/returns/{ids['submitted']}/"),
        Visit("demo", "/report.csv"),
        Visit("demo", "/report.xlsx"),
        Visit("demo", "/audit/"),
        Visit("officer", "/"),
        Visit("officer", "/returns/?status=submitted"),
        Visit("officer", "/verification/"),
        Visit("officer", "/reports/compare/"),
        Visit("auditor", "/audit/"),
        Visit("larkfield", "/"),
        Visit("larkfield", "/contracts/"),
        Visit("larkfield", f"/contracts/{ids['member_contract']}/"),
        Visit("larkfield", "/report.txt"),
        Visit("calder", "/"),
        Visit("calder", "/returns/"),
        Visit("calder", f"/returns/{ids['draft']}/"),
        Visit("calder", f"/returns/{ids['draft']}/workbook.xlsx"),
        Visit("brightwell", "/"),
        Visit("demo", "/api/v1/contracts", token=ids["token_demo"]),
        Visit("demo", "/api/v1/reports/annual?year=2023-24", token=ids["token_demo"]),
        Visit("officer", "/api/v1/returns?status=submitted", token=ids["token_officer"]),
        Visit("officer", f"/api/v1/returns/{ids['submitted']}", token=ids["token_officer"]),
        Visit("larkfield", "/api/v1/reports/annual?year=2023-24", token=ids["token_larkfield"]),
        Visit("calder", f"/api/v1/returns/{ids['draft']}", token=ids["token_calder"]),
        Visit("calder", "/api/v1/measures", token=ids["token_calder"]),
    ]
    return [*visits, Visit("demo", "/report.pdf")] if pdf else visits


_DEMO_IDS = """
from socialledger.contracts.models import Contract
from socialledger.returns.models import Return
print("contract=%d" % Contract.objects.get(reference="DEC-001").pk)
print("member_contract=%d" % Contract.objects.get(reference="DEC-001").pk)
print("submitted=%d" % Return.objects.filter(status="submitted").first().pk)
print("draft=%d" % Return.objects.get(supplier__reference="CRS", financial_year=2024).pk)
from socialledger.accounts.actions import create_api_token
from socialledger.accounts.models import Membership
for name in ("demo", "officer", "larkfield", "calder"):
    membership = Membership.objects.filter(user__username=name, is_active=True).first()
    token = create_api_token(membership, name="load test", can_write=False, by=membership.user)[1]
    print("token_%s=%s" % (name, token))
"""


def dashboard_against_trivial(
    base: str, *, who: str = "demo", connections: int = 32, seconds: float = 10.0
) -> dict:
    """For `make bench`: requests per second of `who`'s dashboard, and of the trivial page on
    the same server, each under `connections` connections; the goal is a ratio of at least 0.5.

    Each server process builds the report once and then keeps it while the ledger stands still
    (decision 13), so the dashboard is measured twice: from a fresh server ("cold", while every
    process builds it) and then for `seconds` more; the goal is judged on the second."""
    visits = [Visit(who, "/")]
    cold = run_load(base, visits, connections=connections, seconds=seconds)
    dashboard = run_load(base, visits, connections=connections, seconds=seconds)
    trivial = run_load(base, [Visit("", TRIVIAL_PAGE)], connections=connections, seconds=seconds)
    return {
        "cold_rps": cold.rps,
        "dashboard_rps": dashboard.rps,
        "trivial_rps": trivial.rps,
        "ratio": dashboard.rps / trivial.rps if trivial.rps else 0.0,
        "cold": cold,
        "dashboard": dashboard,
        "trivial": trivial,
    }
