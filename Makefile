# Improvement and Recovery Plan tracker. `make help` lists what each target does.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PG_DIR ?= $(CURDIR)/var/postgres
PG_PORT ?= 54329
# pytest-xdist workers: the suite takes about half as long on two cores.
TEST_WORKERS ?= 2

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed, found " + sys.version' 
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create the virtual environment and install the dependencies

.PHONY: system-deps
system-deps: ## Install system packages the tests need (Chromium, PostgreSQL 15) if missing
	@scripts/install-system-deps.sh

.PHONY: db
db: install ## Migrate the embedded database and load Thurrock's plan (idempotent)
	@mkdir -p var
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) seed_thurrock

# The task workers (report files: one for PDFs, one for every other file, so a spreadsheet never
# waits behind a long PDF) run beside the server; the trap stops them with it. They do not reload
# on code changes as runserver does: Ctrl-C and `make run` again after editing a task.
.PHONY: run
run: db ## Set up, load Thurrock's data and demo users, serve on http://127.0.0.1:8000 with the task workers
	$(MANAGE) seed_demo_users
	@echo "Serving on http://$(HOST):$(PORT)/ beside the task workers (Ctrl-C stops all three)"
	@$(MANAGE) db_worker --no-reload --interval 0.2 --queue-name default & files=$$!; \
	$(MANAGE) db_worker --no-reload --interval 0.2 --queue-name pdf & pdfs=$$!; \
	trap 'kill $$files $$pdfs 2>/dev/null; wait $$files $$pdfs 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

.PHONY: lint
lint: install ## ruff, the import contracts (lint-imports) and the migrations check
	@mkdir -p var
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run -v0

# axe-core, which the browser tests inject into each page, comes from the npm lockfile.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

.PHONY: test
test: install system-deps node_modules/.package-lock.json lint ## Set up and run the whole test suite on the embedded SQLite
	$(BIN)/pytest -n $(TEST_WORKERS)

.PHONY: test-postgres
test-postgres: install system-deps node_modules/.package-lock.json ## Run the whole suite against a throwaway PostgreSQL 15 cluster
	@scripts/with-postgres.sh "$(PG_DIR)" "$(PG_PORT)" $(BIN)/pytest -n $(TEST_WORKERS)

.PHONY: assets
assets: ## Rebuild the GOV.UK Frontend CSS/JS in static/ (needs npm)
	scripts/build-assets.sh

.PHONY: bench
bench: install ## Run the benchmarks under bench/ and print their numbers
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

.PHONY: clean
clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var
