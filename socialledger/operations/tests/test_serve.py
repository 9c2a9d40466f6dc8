"""`socialledger serve`: gunicorn serving the site once the start-up checks pass, run as an IT
team runs it (another process, a real port); a database with migrations waiting is refused
with the command that mends it, unless it is told to apply them."""

import json
import socket
import time
import urllib.request

import pytest

from socialledger.lib.instances import new_instance

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answer(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback
        return response.status, response.read().decode()


def first_answer(url: str, server, deadline: float = 60) -> tuple[int, str]:
    """The server's first answer, once it is listening (it dies: the test fails at once)."""
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        assert server.poll() is None, "socialledger serve stopped"
        try:
            return answer(url)
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer")


@pytest.fixture
def instance(tmp_path):
    made = new_instance(tmp_path / "site")
    yield made
    made.remove()


def test_a_fresh_database_is_refused_with_the_command_that_mends_it(instance):
    refused = instance.run("serve", "--bind", f"127.0.0.1:{free_port()}", check=False)
    assert refused.returncode != 0
    assert "not applied to the database yet" in refused.stderr
    assert "socialledger migrate" in refused.stderr


def test_serve_with_migrate_applies_them_and_answers_ready(instance):
    port = free_port()
    server = instance.start("serve", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--migrate")
    try:
        status, body = first_answer(f"http://127.0.0.1:{port}/readyz", server)
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        status, page = answer(f"http://127.0.0.1:{port}/accounts/login/")
        assert status == 200
        assert "Sign in" in page
    finally:
        server.terminate()
        assert server.wait(timeout=60) == 0
