# Zukunftsraum: `make run` serves the platform, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format install messages clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# The embedded default: SQLite, in-process channel layer, console e-mail, DEBUG.
# With DATABASE_URL / REDIS_URL set it uses PostgreSQL and Redis instead.
run: $(STAMP)
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py seed_demo
	DEBUG=$${DEBUG:-1} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} \
		$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The app layers (import-linter), then the whole suite on SQLite, then again
# on a throwaway PostgreSQL server, each pass spread over the cores by
# pytest-xdist (TEST_WORKERS=0: one process). loadgroup keeps the tests that
# share a server on one worker (tests/services.py).
TEST_WORKERS ?= auto
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

test: $(STAMP)
	$(BIN)/lint-imports
	$(PYTEST)
	$(PYTEST) --postgres

# Benchmarks and the fault suite (docs/benchmarks.md): real servers on loopback,
# results in bench/results/, tables and plots in docs/benchmarks.md.
# BENCH_SIZE=--full for the long run; --quick keeps each suite under 3 minutes.
BENCH_SIZE ?= --quick
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench all $(BENCH_SIZE)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the catalogs after changing translatable strings.
messages: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py makemessages -l de -l en --no-obsolete \
		--ignore=.venv --ignore=var --ignore=bench --ignore=tests
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
