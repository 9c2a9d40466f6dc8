"""A bounded load test on loopback: gunicorn serving the demo, 32 connections going round a mix
of pages for every demo person. No request may fail. A few seconds normally; a full minute under
`make stress`, whose figures are in docs/reliability.md."""

import pytest

from socialledger.lib.instances import new_instance
from socialledger.lib.loadtest import dashboard_against_trivial, demo_visits, run_load, serve

pytestmark = pytest.mark.slow
CONNECTIONS = 32


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    instance = new_instance(tmp_path_factory.mktemp("load") / "demo")
    instance.run("demo", "--no-serve")
    yield instance
    instance.remove()


def test_every_request_of_the_mixed_load_is_answered_as_expected(demo, stress):
    # The PDF report holds a worker for seconds; the short run leaves it out, the full one not.
    visits = demo_visits(demo, pdf=stress)
    with serve(demo) as base:
        figures = run_load(base, visits, connections=CONNECTIONS, seconds=60 if stress else 5)
        # The figure `make bench` takes too, printed here for docs/reliability.md.
        bench = dashboard_against_trivial(base, seconds=20) if stress else None
    print(f"\nLoad ({demo.engine}, {len(visits)} kinds of request): {figures.summary()}")  # noqa: T201
    if bench:
        print(  # noqa: T201
            f"Provider dashboard, fresh server: {bench['cold'].summary()}\n"
            f"Provider dashboard: {bench['dashboard'].summary()}\n"
            f"Sign-in page: {bench['trivial'].summary()}\nRatio {bench['ratio']:.3f}"
        )
    assert figures.failures == []
    # Each connection starts at a different request of the mix, so every one was made.
    assert figures.requests >= len(visits)
