"""/healthz says the process is alive; /readyz says it can serve: database, migrations, cache.
Neither needs a sign-in, and neither is redirected to HTTPS (probes come over plain HTTP)."""

import json
import logging

from django.core.checks import Warning as CheckWarning

from socialledger.lib.jsonlogs import JsonLines
from socialledger.operations import checks, views


def test_healthz_answers_without_a_sign_in(client, db):
    answer = client.get("/healthz")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


def test_readyz_answers_ok_when_the_database_and_cache_work(client, db):
    answer = client.get("/readyz")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})
    assert answer["Cache-Control"].startswith("max-age=0")


def test_readyz_says_what_is_wrong_when_the_cache_cannot_be_reached(client, db, monkeypatch):
    class Unreachable:
        def set(self, *args, **kwargs):
            raise ConnectionError("no route to the cache")

    monkeypatch.setattr(views, "cache", Unreachable())
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "problems": ["the cache cannot be reached"]}


def test_health_probes_are_not_sent_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/contracts/").status_code == 301


def test_logs_can_be_json_lines():
    record = logging.LogRecord(
        "socialledger", logging.ERROR, __file__, 1, "It %s", ("broke",), None
    )
    line = json.loads(JsonLines().format(record))
    said = (line["level"], line["logger"], line["message"])
    assert said == ("ERROR", "socialledger", "It broke")
    assert line["time"].endswith("+00:00")


def test_a_missing_pg_dump_is_named_at_start_up(monkeypatch, settings):
    class PostgreSQL:
        vendor, pg_version = "postgresql", 160004

        def ensure_connection(self):
            pass

    monkeypatch.setattr(checks, "connections", {"default": PostgreSQL()})
    monkeypatch.setattr(checks.shutil, "which", lambda program: None)
    [said] = checks.pg_dump_matches_the_server(databases=["default"])
    assert isinstance(said, CheckWarning)
    assert "pg_dump is not installed" in said.msg
    assert "postgresql-client-16" in said.hint


def test_an_older_pg_dump_than_the_server_is_named_at_start_up(monkeypatch):
    class PostgreSQL:
        vendor, pg_version = "postgresql", 170002

        def ensure_connection(self):
            pass

    monkeypatch.setattr(checks, "connections", {"default": PostgreSQL()})
    monkeypatch.setattr(checks, "client_major_version", lambda program: 15)
    [said] = checks.pg_dump_matches_the_server(databases=["default"])
    assert "pg_dump is version 15 but the database server is 17" in said.msg
