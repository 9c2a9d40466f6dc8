# Social Ledger: `make demo` to try it, `make test` to check it. Both set everything up first.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
AXE := node_modules/axe-core/axe.min.js

.PHONY: setup demo run test test-pg stress lint fmt migrations-check bench clean

setup: $(STAMP) $(AXE)

# axe-core, the accessibility rules engine the browser tests inject into every page (test-only;
# docs/decisions/0017-axe-core-from-npm.md). Skipped with a note where npm is not installed.
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $(AXE); \
	else echo "npm not found: the accessibility test will be skipped (apt install npm)"; fi

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,serve]'
	@touch $(STAMP)

demo: setup
	$(BIN)/socialledger demo

run: setup
	$(BIN)/socialledger migrate --noinput
	$(BIN)/socialledger runserver 127.0.0.1:8000

# One test process per core (docs/decisions/0019-tests-in-parallel-with-pytest-xdist.md);
# TEST_WORKERS=1 for one at a time.
TEST_WORKERS ?= auto

test: setup
	$(BIN)/pytest -n $(TEST_WORKERS)

test-pg: setup
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/socialledger} \
		$(BIN)/pytest -n $(TEST_WORKERS)

# The crash, concurrency and load tests at full length (about an hour): twenty kills of a
# 200,000-row import, a minute of 32 suppliers submitting at once, a minute of load on gunicorn;
# on SQLite, then on PostgreSQL. Their figures go in docs/reliability.md.
STRESS_TESTS := tests/test_import_killed.py tests/test_load.py tests/test_database_trouble.py \
	socialledger/returns/tests/test_many_suppliers_at_once.py \
	socialledger/returns/tests/test_conflicting_decisions.py \
	socialledger/audit/tests/test_concurrent_appends.py \
	socialledger/backups/tests/test_backup_and_restore.py

stress: setup
	env -u DATABASE_URL $(BIN)/pytest --stress -s $(STRESS_TESTS)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/socialledger} \
		$(BIN)/pytest --stress -s $(STRESS_TESTS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Speed and memory at scale, each figure beside its baseline (docs/performance.md). A few minutes
# at the default 1,000,000 entries; BENCH_ENTRIES=10000000 for the full run; DATABASE_URL for
# PostgreSQL (it makes its own databases named after it).
bench: setup
	$(BIN)/pip install --quiet -e '.[test,serve,bench]'
	$(BIN)/python bench/run.py

migrations-check: setup
	$(BIN)/socialledger makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules data .pytest_cache .ruff_cache .hypothesis
