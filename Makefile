# Pressdesk: `make run` to try it, `make test` to prove it. See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint fmt messages bench clean vendor-axe

# The interpreter: bin/find-python explains what to install when there is no 3.12+.
$(VENV)/bin/python:
	@PYBIN=$$(bin/find-python) && echo "Using $$PYBIN" && "$$PYBIN" -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | grep -v "is ignored" || true

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | grep -v "is ignored" || true
	$(PY) -c "import django, celery, psycopg" && touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt 2>&1 | grep -v "is ignored" || true
	$(PY) -c "import pytest, playwright, aiosmtpd, importlinter, mypy, mypy_django_plugin" && touch $@

run: $(VENV)/.runtime
	@mkdir -p var
	DEBUG=true $(MANAGE) migrate --no-input
	DEBUG=true $(MANAGE) purge_expired  # no beat on a laptop: see README, The laptop default
	DEBUG=true $(MANAGE) seed_demo
	DEBUG=true $(MANAGE) create_demo_officer --url http://$(HOST):$(PORT)
	DEBUG=true $(MANAGE) runserver $(HOST):$(PORT)

# The suite runs twice: on the production stack, PostgreSQL and Redis (local defaults below;
# .ci/run starts them on a bare machine), then on the laptop default without the tests marked
# postgres, redis or worker; bin/smoke-run then tries `make run` in a fresh clone. Settings
# are production ones (DEBUG off); the key below exists only for the test run.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pressdesk
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
LAPTOP_DESELECT := not postgres and not redis and not worker
test: $(VENV)/.dev
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/ruff format --check --quiet .
	@# No import cycles, no layer broken (contracts in pyproject.toml).
	$(VENV)/bin/lint-imports --no-cache
	@# Types: strict on the domain packages (configuration in pyproject.toml, [tool.mypy]).
	SECRET_KEY=test-only-not-secret DEBUG=false $(VENV)/bin/mypy
	@# Static security check: medium or worse fails, unless a `# nosec BXXX: reason` says why.
	$(VENV)/bin/bandit -q -r enquiries pressdesk -x '*/migrations/*' --severity-level medium
	@DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		$(PY) bin/check-services || exit 1
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(TEST_REDIS_URL)} \
		SECRET_KEY=test-only-not-secret DEBUG=false PRESSDESK_SSL_REDIRECT=false \
		$(VENV)/bin/pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)
	@# The laptop default, as `make run` serves it: SQLite, in-memory cache, tasks in-process.
	env -u DATABASE_URL -u REDIS_URL PRESSDESK_VAR_DIR=var/test-laptop \
		SECRET_KEY=test-only-not-secret DEBUG=false PRESSDESK_SSL_REDIRECT=false \
		$(VENV)/bin/pytest -n $${PYTEST_WORKERS:-auto} -m "$(LAPTOP_DESELECT)" $(PYTEST_ARGS)
	$(PY) bin/smoke-run

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate and compile the Bokmål catalogue (needs GNU gettext).
# One catalogue (enquiries/locale, the first of LOCALE_PATHS) for both packages' code and
# templates; the compiled .mo is committed (the wheel ships it as it is).
MESSAGES_ARGS := -l nb --no-obsolete --add-location file --ignore=var --ignore=tests --ignore=bench \
	--ignore=docs --ignore=build --ignore=dist
messages: $(VENV)/.runtime
	DEBUG=true $(MANAGE) makemessages $(MESSAGES_ARGS)
	DEBUG=true $(MANAGE) compilemessages -l nb --ignore=.venv

# Figures, not tests (see docs/PERFORMANCE.md): BENCH=bench_queue for one module,
# BENCH_SCALE=10000 for a quick desk, BENCH_KEEP_DB=1 / BENCH_DB=name to keep / reuse one.
bench: $(VENV)/.dev
	@command -v wrk >/dev/null || { echo "make bench needs wrk: sudo apt-get install -y wrk"; exit 1; }
	SECRET_KEY=bench-only-not-secret $(PY) -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache

# axe-core for the accessibility tests: the pinned npm package's built file, committed under
# tests/browser/vendor/ so `make test` needs no node (package.json / package-lock.json pin it).
vendor-axe:
	npm ci --no-audit --no-fund
	cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE \
		node_modules/axe-core/LICENSE-3RD-PARTY.txt tests/browser/vendor/axe-core/
