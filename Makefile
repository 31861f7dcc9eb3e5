# Caseline. `make demo` runs the demo; `make test` runs the whole suite. `make help` lists all.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check
VALIDATORS_VENV := .venv-validators
FRONTEND_SOURCES := $(shell find frontend/scss frontend/js frontend/images -type f) frontend/build.mjs
# Fonts for printed documents (includes/document_fonts.html): Latin, Greek and Cyrillic; the other
# scripts families write; Chinese, Japanese and Korean; emoji.
APT_PACKAGES := chromium fonts-liberation fonts-noto-core fonts-droid-fallback fonts-noto-color-emoji \
  libpango-1.0-0 libpangoft2-1.0-0 poppler-utils
PYTEST := $(PY) -m pytest -p no:cacheprovider
# The demo's port: `make demo PORT=8001` when 8000 is taken.
PORT ?= 8000

.PHONY: help setup validators demo test test-postgres returns-check lint format typecheck migrations-check bench system-deps clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements/base.txt requirements/dev.txt requirements/constraints.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements/dev.txt -c requirements/constraints.txt
	$(PIP_INSTALL) --no-deps -e .
	@touch $@

# The Data to Insight validators pin pandas below 2, so they get a virtualenv of their own
# (requirements/validators.txt says why); Caseline runs them in a separate process.
$(VALIDATORS_VENV)/.installed: requirements/validators.txt
	@test -x $(VALIDATORS_VENV)/bin/python || $(PYTHON) -m venv $(VALIDATORS_VENV)
	$(VALIDATORS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/validators.txt
	@touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

frontend/dist/.built: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	cd frontend && node build.mjs
	@touch $@

setup: $(VENV)/.installed frontend/dist/.built ## Install Python and npm dependencies and build the front end

validators: $(VALIDATORS_VENV)/.installed ## Install the DfE returns' validators (Data to Insight) in .venv-validators

system-deps: ## Install Debian's Chromium (browser tests), Pango (PDFs) and poppler (PDF checks) if missing
	@dpkg -s $(APT_PACKAGES) >/dev/null 2>&1 || { \
	  echo "Installing $(APT_PACKAGES) from Debian"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES) >/dev/null; }

demo: setup ## Set up, create demo users and a synthetic authority, serve on http://127.0.0.1:$(PORT) (PORT=8000)
	DEBUG=$${DEBUG:-false} DJANGO_SETTINGS_MODULE=caseline.settings.dev $(VENV)/bin/caseline demo --port $(PORT)

test: setup system-deps validators ## Set up, then run the whole test suite (SQLite unless DATABASE_URL says otherwise)
	$(PYTEST) --cov --cov-report=term:skip-covered --cov-fail-under=95

test-postgres: setup system-deps validators ## The whole suite on the local PostgreSQL, in a throwaway database
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/caseline_$$$$} $(PYTEST)

# The authority returns-check generates: the size and seed the issue's "done when" names. CI runs
# it on 2,000 children (`make returns-check RETURNS_CHILDREN=2000`, .ci/run) to keep CI short;
# docs/returns.md has both sizes' figures.
RETURNS_CHILDREN ?= 10000
RETURNS_YEAR ?= 2026

# --pass-beyond-two-years, for this CI check only: the SSDA903's errors of rules 1001 and 1002 on
# care leavers whose care lies before the validator's two years of tables (docs/returns.md) are
# printed and counted as errors, but do not fail the check; any other error does.
returns-check: setup validators ## Generate an authority, produce both returns and validate them (exit 1 on any error but the validator's two-year blind spot)
	@set -e; dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	export DATABASE_URL="sqlite:///$$dir/authority.sqlite3" DJANGO_SETTINGS_MODULE=caseline.settings.dev; \
	caseline=$(VENV)/bin/caseline; year=$(RETURNS_YEAR); previous=$$((year - 1)); \
	$$caseline migrate --verbosity 0; \
	echo "Generating $(RETURNS_CHILDREN) children over 6 years (seed 7)"; \
	$$caseline generate --children $(RETURNS_CHILDREN) --years 6 --seed 7 --quiet; \
	$$caseline returns cin-census --year $$year --out "$$dir/cin.xml" --quiet; \
	$$caseline returns ssda903 --year $$year --out "$$dir/903" --quiet; \
	$$caseline returns ssda903 --year $$previous --out "$$dir/903-previous" --quiet; \
	$$caseline returns validate cin-census "$$dir/cin.xml"; \
	$$caseline returns validate ssda903 "$$dir/903" --year $$year --previous "$$dir/903-previous" \
	  --children-homes "$$dir/903/provider_lookups/ofsted_childrens_homes.xlsx" \
	  --social-care-providers "$$dir/903/provider_lookups/ofsted_social_care_providers.xlsx" \
	  --pass-beyond-two-years

lint: setup ## ruff, djlint, and our own checks: writes outside actions, personal data
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint --lint caseline/templates caseline/apps
	$(PY) -m tools.check_writes
	$(PY) -m tools.check_personal_data

format: setup ## Format Python with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: setup ## mypy, strict, with django-stubs
	$(VENV)/bin/mypy caseline tools

migrations-check: setup ## Fail if a model change has no migration
	DJANGO_SETTINGS_MODULE=caseline.settings.test $(VENV)/bin/caseline makemigrations --check --dry-run

bench: setup ## Run the benchmarks and print their figures
	@for b in benchmarks/bench_*.py; do [ -e "$$b" ] && $(PY) "$$b"; done; true

clean: ## Remove the virtualenv, node_modules, built assets and the demo database
	rm -rf $(VENV) $(VALIDATORS_VENV) frontend/node_modules frontend/dist var
