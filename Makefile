# The README's two commands: `make serve` and `make test`. Both set up .venv on first use:
# `make serve` with what serving needs (the package and its dependencies), `make test` adds the
# test and dev extras (Playwright, pytest…). Every install takes the versions of constraints.txt.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := constraints.txt
PIP := $(BIN)/python -m pip install --quiet --constraint $(CONSTRAINTS)
SERVE_STAMP := $(VENV)/.installed-serve
TEST_STAMP := $(VENV)/.installed-test
# Material prints its end-of-life notice at every build; ARCHITECTURE.md keeps the core portable.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check bench clean constraints

$(SERVE_STAMP): pyproject.toml $(CONSTRAINTS)
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -e .
	touch $@

$(TEST_STAMP): $(SERVE_STAMP)
	$(PIP) -e '.[test,dev]'
	touch $@

serve: $(SERVE_STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: $(SERVE_STAMP)
	$(BIN)/mkdocs build --strict

check: $(SERVE_STAMP)
	$(BIN)/portail check

# Test files are spread over the cores (pytest-xdist; one file's tests stay on one worker, so
# module fixtures are built once): `pytest tests/x.py` alone still runs in a single process.
test: $(TEST_STAMP)
	bash scripts/setup-system
	$(BIN)/python -m pytest -n auto --dist loadfile

# The benchmark of issue 10 at PAGES pages (`make bench PAGES=5000`); more options through
# BENCH_ARGS, e.g. BENCH_ARGS="--compare 5000 --json bench.json" (scripts/bench_build.py --help).
# Without Chromium the bench still runs and reports the browser figures « non mesuré ».
PAGES ?= 1000
bench: $(TEST_STAMP)
	-bash scripts/setup-system
	$(BIN)/python scripts/bench_build.py --pages $(PAGES) $(BENCH_ARGS)

clean:
	rm -rf site .venv

# Refresh constraints.txt: the newest versions pyproject.toml's ranges allow, installed in a
# scratch venv and frozen (the header comment kept). Then run `make test` and commit the file.
constraints:
	set -e; scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	$(PYTHON) -m venv "$$scratch"; \
	"$$scratch/bin/python" -m pip install --quiet --upgrade pip; \
	"$$scratch/bin/python" -m pip install --quiet -e '.[test,dev]'; \
	{ grep '^#' $(CONSTRAINTS); \
	  "$$scratch/bin/python" -m pip freeze --all --exclude-editable | grep -viE '^(portail|setuptools)=='; \
	} > $(CONSTRAINTS).new; \
	mv $(CONSTRAINTS).new $(CONSTRAINTS)
