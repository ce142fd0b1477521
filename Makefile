# The README's two commands: `make serve` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Material prints its end-of-life notice at every build; ARCHITECTURE.md keeps the core portable.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

check: $(STAMP)
	$(BIN)/portail check

test: $(STAMP)
	bash scripts/setup-system
	$(BIN)/python -m pytest

# The benchmark of issue 10 at PAGES pages (`make bench PAGES=5000`); more options through
# BENCH_ARGS, e.g. BENCH_ARGS="--compare 5000 --json bench.json" (scripts/bench_build.py --help).
# Without Chromium the bench still runs and reports the browser figures « non mesuré ».
PAGES ?= 1000
bench: $(STAMP)
	-bash scripts/setup-system
	$(BIN)/python scripts/bench_build.py --pages $(PAGES) $(BENCH_ARGS)

clean:
	rm -rf site .venv
