# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint install bench mutate clean messages api-schema

$(BIN)/casereview: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# The Welsh catalogue, compiled from the committed .po with GNU gettext's msgfmt (ADR 0024).
LOCALE := src/casereview/locale
MO := $(LOCALE)/cy/LC_MESSAGES/django.mo
$(MO): $(LOCALE)/cy/LC_MESSAGES/django.po $(BIN)/casereview
	cd src/casereview && $(abspath $(BIN))/casereview compilemessages --locale cy --verbosity 0
	@touch $@

install: $(BIN)/casereview node_modules/.installed $(MO)

# After marking new text with gettext/{% translate %}: add it to the Welsh catalogue (then write
# the Welsh; tests/web/test_welsh.py fails on any entry left empty or fuzzy).
messages: install
	cd src/casereview && $(abspath $(BIN))/casereview makemessages --locale cy --no-obsolete --add-location file

run: install
	$(BIN)/casereview migrate --no-input
	$(BIN)/casereview demo
	$(BIN)/casereview runserver --insecure $(HOST):$(PORT)

# The production server locally (docs/operations.md): gunicorn with deploy/gunicorn.conf.py, debug off.
serve: install
	$(BIN)/casereview migrate --no-input
	CASEREVIEW_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c deploy/gunicorn.conf.py

lint: install
	$(BIN)/ruff check src tests benchmarks deploy
	$(BIN)/ruff format --check src tests benchmarks deploy

test: install lint
	$(BIN)/casereview makemigrations --check --dry-run > /dev/null
	$(BIN)/pytest -n $(or $(TEST_WORKERS),auto) --maxschedchunk=1 --durations=30

bench: install
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	BENCH_ROWS=$(or $(BENCH_ROWS),1000000) $(BIN)/python -m benchmarks

# Mutation testing of the core and the access selector (docs/testing.md, ADR 0022); slow, not part of
# `make test`. MUTANTS='casereview.core.periods.*' runs one module's mutants.
# The selector: `_visible` holds the rules and `_get_for_user` the one-case read; the four public
# functions call them (docs/testing.md, "Where things stand").
SELECTOR := casereview.applications.selectors
MUTANTS ?= casereview.core.* $(SELECTOR).x__visible__* $(SELECTOR).x__get_for_user__* \
	$(SELECTOR).x_applications_visible_to__* $(SELECTOR).x_application_get_for_user__* \
	$(SELECTOR).x_cases_visible_to__* $(SELECTOR).x_case_get_for_user__*
mutate: install
	$(BIN)/pip install --quiet -e '.[dev,mutate]'
	CASEREVIEW_HYPOTHESIS_PROFILE=mutate $(BIN)/mutmut run $(foreach m,$(MUTANTS),'$(m)')
	$(BIN)/mutmut results

# The partner API's OpenAPI document, regenerated from the code (tests/api/test_openapi.py fails on drift).
api-schema: install
	$(BIN)/casereview api-schema > docs/api/openapi.json

clean:
	rm -rf $(VENV) node_modules db.sqlite3 mutants
