# Two entry points: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
HOST ?= 127.0.0.1
PORT ?= 5000
## Address written in the links of the e-mails; follows HOST and PORT unless given.
PUBLIC_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)

.PHONY: install demo demo-reset test lint browser check-migrations check-lock lock bench clean classifier-model

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Start the app on a demo académie (SQLite under instance/), printing the demo logins.
demo: install
	HELPDESK_PUBLIC_URL=$(PUBLIC_URL) $(BIN)/helpdesk demo --if-empty
	HELPDESK_PUBLIC_URL=$(PUBLIC_URL) $(BIN)/helpdesk run --host $(HOST) --port $(PORT)

## Erase the demo and make it again, dated today (refused on a database that is not the demo).
demo-reset: install
	HELPDESK_PUBLIC_URL=$(PUBLIC_URL) $(BIN)/helpdesk demo --reset

## Debian's chromium for the browser tests (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

check-migrations: install
	$(BIN)/python -m helpdesk.core.migrate_check

## requirements.lock (exact versions and hashes production installs), resolved afresh.
lock: install
	$(BIN)/python deploy/lock.py

## The lock pins every dependency of pyproject.toml at an allowed version, with its hash.
check-lock: install
	$(BIN)/python deploy/lock.py --check

## The whole suite; HELPDESK_TEST_DATABASE_URL=postgresql+psycopg://... runs it on PostgreSQL.
test: install browser lint check-migrations check-lock
	$(BIN)/pytest -n 2 --dist loadgroup -q $(PYTEST_ARGS)

## The compact categoriser shipped with the package, after a change of training examples.
classifier-model: install
	$(BIN)/python -m helpdesk.classify.model

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) instance .pytest_cache
