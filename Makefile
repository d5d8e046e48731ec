# Two commands do everything on a fresh machine: `make` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)

.PHONY: all setup check build test test-fast lint serve bench clean
all: check build

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@# the builder's bytecode, as pip writes it for the packages it installs (not for editable ones)
	$(BIN)/python -m compileall -q tools/curriculum
	@touch $(STAMP)

setup: $(STAMP)

check: $(STAMP)
	$(BIN)/curriculum check

build: $(STAMP)
	$(BIN)/curriculum build

# axe-core for the accessibility tests, pinned by package-lock.json
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

# The whole suite: the lint and type gates, then both test tiers. `make test-fast` is the fast
# tier alone (no real builds, no browser).
test: lint $(STAMP) node_modules/.package-lock.json
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check tools tests
	$(BIN)/ruff format --check tools tests
	$(BIN)/mypy

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" -q

serve: $(STAMP)
	$(BIN)/curriculum serve

bench: $(STAMP)
	$(BIN)/python tools/bench.py
	$(BIN)/python tools/bench_check.py

clean:
	rm -rf _build
