# Lianqing — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# PostgreSQL run of the suite: DATABASE_URL if set, else the local server when it answers.
PG_URL ?= postgres://postgres@127.0.0.1:5432/lianqing
PG_PORT ?= 5432
# Optional parts installed with the platform: dev (tests, bench references), spark (the Spark engine).
EXTRAS ?= dev,spark
TARGET := .$(if $(EXTRAS),[$(EXTRAS)])
# A folder of wheels made by `make wheelhouse`: `make install WHEELHOUSE=DIR` installs from it alone.
WHEELHOUSE ?=

.PHONY: install demo test lint typecheck migrations-check test-databases test-sqlite test-postgres test-sm test-sm-full messages wheelhouse

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
ifeq ($(WHEELHOUSE),)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '$(TARGET)'
else
	$(BIN)/python -m pip install --quiet --no-index --find-links '$(WHEELHOUSE)' '$(TARGET)'
endif
	touch $@

# Every wheel the platform needs, for this Python (run it with the target's Python version, where
# the package index is reachable); copy the folder, or wheelhouse.tar.gz, to the offline network.
wheelhouse:
	rm -rf '$(or $(WHEELHOUSE),wheelhouse)'
	$(PYTHON) -m pip wheel --quiet --wheel-dir '$(or $(WHEELHOUSE),wheelhouse)' '$(TARGET)' 'setuptools>=69' wheel
	tar -czf '$(or $(WHEELHOUSE),wheelhouse).tar.gz' -C '$(dir $(abspath $(or $(WHEELHOUSE),wheelhouse)))' '$(notdir $(abspath $(or $(WHEELHOUSE),wheelhouse)))'

demo: install
	LIANQING_MODE=demo $(BIN)/lianqing demo --port $(PORT)

test: install lint typecheck migrations-check test-databases

# The two passes share nothing (each has its own database, browser and temporary folders), so they run
# side by side, each line marked with its pass. The PostgreSQL pass ends minutes before the SQLite one
# (no Spark), so the 国密 pass follows it in the same lane: never beside it, as both use DATABASE_URL's
# test database when it is set. The target fails if any pass fails, after all three have run.
test-databases:
	@rcs=$$(mktemp -d); \
	{ $(MAKE) --no-print-directory test-sqlite 2>&1; echo $$? > $$rcs/sqlite; } | sed -u 's/^/[SQLite] /' & \
	{ $(MAKE) --no-print-directory test-postgres 2>&1; echo $$? > $$rcs/postgres; } | sed -u 's/^/[PostgreSQL] /'; \
	{ $(MAKE) --no-print-directory test-sm-full 2>&1; echo $$? > $$rcs/sm; } | sed -u 's/^/[国密] /'; \
	wait; \
	sqlite=$$(cat $$rcs/sqlite); postgres=$$(cat $$rcs/postgres); sm=$$(cat $$rcs/sm); rm -rf $$rcs; \
	echo "SQLite pass: exit $$sqlite; PostgreSQL pass: exit $$postgres; 国密 pass: exit $$sm"; \
	test "$$sqlite" = 0 && test "$$postgres" = 0 && test "$$sm" = 0

# The 国密 suite (LIANQING_CRYPTO=sm, docs/crypto.md): `make test-sm` runs the tests that seal, open,
# chain and sign again with it (under a minute); `make test-sm-full`, part of `make test`, runs the
# whole intake, cases and core suites with it (on SQLite, or on DATABASE_URL when set); `make test`
# runs it in test-databases, after the PostgreSQL pass.
SM_TESTS = tests/intake/test_keys.py tests/intake/test_identity.py tests/intake/test_custodian.py \
	tests/intake/test_at_rest.py tests/cases/test_register_named.py tests/core/test_audit.py \
	tests/core/test_audit_keyed.py
test-sm:
	env -u DATABASE_URL LIANQING_CRYPTO=sm $(BIN)/pytest -q $(SM_TESTS)

test-sm-full:
	LIANQING_CRYPTO=sm $(BIN)/pytest -m "not spark and not offline_install and not e2e" tests/intake tests/cases tests/core

lint:
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/ruff format --check src tests $(wildcard bench)

typecheck:
	$(BIN)/mypy

migrations-check:
	env -u DATABASE_URL $(BIN)/python -m django makemigrations --check --dry-run --settings=lianqing.settings_test

test-sqlite:
	env -u DATABASE_URL $(BIN)/pytest

# Spark tests compare engines, and the offline install no database: they run once, in the SQLite pass.
# With CI set, a PostgreSQL pass that cannot run fails the build instead of being skipped.
test-postgres:
	@if [ -n "$$DATABASE_URL" ] || $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', $(PG_PORT)), 2)" 2>/dev/null; then \
	  DATABASE_URL="$${DATABASE_URL:-$(PG_URL)}" $(BIN)/pytest -m "not spark and not offline_install"; \
	elif [ -n "$$CI" ]; then \
	  echo "PostgreSQL does not answer on 127.0.0.1:$(PG_PORT) and DATABASE_URL is not set: in CI the PostgreSQL pass must run" >&2; \
	  exit 1; \
	else \
	  echo "PostgreSQL does not answer on 127.0.0.1:$(PG_PORT) and DATABASE_URL is not set: PostgreSQL pass skipped"; \
	fi

# Regenerate the English catalogue (needs GNU gettext); the compiled .mo is committed.
messages: install
	cd src/lianqing && ../../$(BIN)/python -m django makemessages -l en --settings=lianqing.settings_test && ../../$(BIN)/python -m django compilemessages -l en --settings=lianqing.settings_test
