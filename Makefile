# One command per task. `make run` and `make test` work on a fresh clone: they install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
UV := .tools/bin/uv
export UV_PYTHON_DOWNLOADS := never

.PHONY: install run migrate seed serve test lint content-lint format typecheck lock clean bench bench-search bench-seed wrk browser-deps client-deps readme-deps readme-examples deploy-deps

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Dependencies come only from the hash-pinned lock files (requirements.lock: runtime, used by the Dockerfile;
# requirements-dev.lock: runtime + test tools); the project itself is installed editable.
$(VENV)/.installed: requirements-dev.lock pyproject.toml | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) $(VENV)
	$(UV) pip sync --quiet --python $(BIN)/python --require-hashes requirements-dev.lock
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/conditions-api migrate

seed: migrate
	$(BIN)/conditions-api seed

# Migrating and seeding are no-ops when the database is current, so `run` always does both.
run: seed
	$(BIN)/conditions-api serve

serve: install
	$(BIN)/conditions-api serve

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install
	$(BIN)/mypy

# The content linter on seed/: errors fail the build, warnings are printed for the editors.
content-lint: install
	$(BIN)/conditions-api lint seed

# Browser tests drive Debian's chromium (Playwright downloads no browser) and inject axe-core, pinned by
# tests/browser/package-lock.json. Root installs directly; anyone else through sudo.
CHROMIUM := /usr/bin/chromium
AXE := tests/browser/node_modules/axe-core/axe.min.js
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --silent
	touch $@

browser-deps: $(CHROMIUM) $(AXE)

# Generated-client tests: openapi-python-client in its own environment (it pins an older typer than our CLI);
# openapi-typescript, openapi-fetch and TypeScript from their npm lock file (no download addresses in it).
PY_CLIENT_TOOLS := tests/clients/python/.venv/.installed

$(PY_CLIENT_TOOLS): tests/clients/python/requirements.lock | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) tests/clients/python/.venv
	$(UV) pip sync --quiet --python tests/clients/python/.venv/bin/python --require-hashes $<
	touch $@

TS_CLIENT_TOOLS := tests/clients/typescript/node_modules/.bin/openapi-typescript

$(TS_CLIENT_TOOLS): tests/clients/typescript/package.json tests/clients/typescript/package-lock.json
	cd tests/clients/typescript && npm ci --silent
	touch $@

client-deps: $(PY_CLIENT_TOOLS) $(TS_CLIENT_TOOLS)

# The README's examples are curl | jq command lines, run by tests/docs/test_readme.py as a reader would run them.
/usr/bin/jq /usr/bin/curl:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq curl jq >/dev/null

readme-deps: /usr/bin/jq /usr/bin/curl

# The scale-out test (tests/deploy/) runs Debian's nginx, as its own unprivileged child process with its own
# config, in front of two replicas; the package's own service is not used (nor needed).
/usr/sbin/nginx:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx-light >/dev/null || \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx >/dev/null

deploy-deps: /usr/sbin/nginx

# After a deliberate change of what the examples print: rewrite their shown output from a live run.
readme-examples: install readme-deps
	$(BIN)/python -m tests.docs.readme_examples

test: lint typecheck content-lint browser-deps client-deps readme-deps deploy-deps
	$(BIN)/pytest

# Benchmarks: loopback only, bounded (see bench/README.md). wrk comes from Debian, Datasette from its own lock.
bench/.venv/.installed: bench/requirements.lock | $(UV)
	$(UV) venv --quiet --allow-existing --python $(PYTHON) bench/.venv
	$(UV) pip sync --quiet --python bench/.venv/bin/python --require-hashes bench/requirements.lock
	touch $@

wrk:
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)

bench-search: install wrk
	$(BIN)/python bench/search.py

bench: install wrk bench/.venv/.installed
	$(BIN)/python bench/endpoints.py

# Seeding 20,000 condition files: a first seed and re-seeds after small edits (see bench/README.md).
bench-seed: install
	$(BIN)/python bench/seeding.py

lock: | $(UV)
	$(UV) pip compile --quiet --generate-hashes --python-version 3.11 -o requirements.lock pyproject.toml
	$(UV) pip compile --quiet --generate-hashes --python-version 3.11 --extra dev -o requirements-dev.lock pyproject.toml
	$(UV) pip compile --quiet --generate-hashes --python-version 3.11 -o bench/requirements.lock bench/requirements.in
	$(UV) pip compile --quiet --generate-hashes --python-version 3.11 -o tests/clients/python/requirements.lock tests/clients/python/requirements.in

clean:
	rm -rf $(VENV) .tools .mypy_cache .ruff_cache .pytest_cache data tests/browser/node_modules tests/clients/python/.venv tests/clients/typescript/node_modules test-artifacts
