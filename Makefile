# SIBARU: `make run` sets everything up and serves the site; `make test` runs the whole suite.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/sibaru
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test test-sqlite test-postgres setup screenshots lint lock messages clean bench

# The virtual environment is rebuilt when a lock file changes.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	test -x $(PY) || "$$(bin/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	touch $@

setup: $(VENV)/.installed
	mkdir -p var
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_regions
	$(MANAGE) collectstatic --no-input -v0
	$(MANAGE) seed_demo

run: setup
	bin/serve $(PORT)

# The whole suite twice: on SQLite (in memory, local-memory cache), then on PostgreSQL with Redis.
# Two workers (pytest-xdist), one per core; `make test PYTEST_ARGS=` runs in one process, and
# `make test-sqlite PYTEST_ARGS="-m 'not e2e'"` skips the browser tests.
# pytest exits 5 when it collected no test: that is announced, not failed on.
PYTEST_ARGS ?= -n 2
define pytest
	$(1) $(VENV)/bin/pytest $(PYTEST_ARGS) || { status=$$?; [ $$status -eq 5 ] || exit $$status; \
		echo "*** make $@: pytest collected NO tests ***"; }
endef

test: test-sqlite test-postgres

test-sqlite: $(VENV)/.installed
	$(call pytest,SIBARU_MODE=test)

test-postgres: $(VENV)/.installed
	$(call pytest,SIBARU_MODE=test DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL))

# Refresh the user guides' screenshots (docs/screenshots) from the end-to-end tests.
screenshots: $(VENV)/.installed
	SIBARU_MODE=test SIBARU_SCREENSHOTS=1 $(VENV)/bin/pytest tests/e2e

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests
	$(VENV)/bin/bandit -q -c pyproject.toml -r src
	SIBARU_MODE=production SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(60))') \
		$(MANAGE) check --deploy --fail-level WARNING

# Indonesian is the source language: only the English catalogue exists. Run from src/sibaru, so that only the
# project's files are scanned (not .venv); the .mo is committed. tests/test_translations.py checks both.
messages: $(VENV)/.installed
	cd src/sibaru && ../../$(PY) ../../manage.py makemessages -l en --no-obsolete --no-location \
		--ignore 'tests/*' --ignore '*/tests/*'
	cd src/sibaru && ../../$(PY) ../../manage.py compilemessages

lock: $(VENV)/.installed
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile --python-version 3.12 --generate-hashes -q requirements.in -o requirements.lock
	$(VENV)/bin/uv pip compile --python-version 3.12 --generate-hashes -q requirements-dev.in -o requirements-dev.lock

# The budgets of the design on a generated dataset (bench/README.md): BENCH_SCALE=1 is the national one.
BENCH_SCALE ?= 0.01
bench: $(VENV)/.installed
	rm -f var/bench/sibaru-bench.sqlite3* && $(PY) bench/generate.py --scale $(BENCH_SCALE) && $(PY) bench/bench_requests.py

clean:
	rm -rf $(VENV) var
