# Relais front door. `make serve` installs everything and serves the hub; `make test` installs and runs all tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install build-deps serve build validate test lint system-deps bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP) build-deps

# Node.js and Workbox, which write the service workers at build time (scripts/relais/site/sw).
build-deps:
	bash scripts/install-build-deps.sh

serve: install
	$(BIN)/relais serve

build: install
	$(BIN)/relais build

validate: install
	$(BIN)/relais validate

system-deps:
	bash scripts/install-system-deps.sh

lint: install
	$(BIN)/ruff check scripts tests
	$(BIN)/ruff format --check scripts tests

test: install system-deps lint
	$(BIN)/python -m pytest

# BENCH_SIZES="1000" (or "1000 10000") picks the sizes; by default bench.py's own (1,000 and 10,000).
bench: $(VENV)/.bench-installed
	$(BIN)/python scripts/bench.py $(if $(BENCH_SIZES),--sizes $(BENCH_SIZES))

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,bench]'
	touch $@

clean:
	rm -rf site site.building site.old docs/annuaire .pytest_cache test-artifacts
