# Handbuch RegioNetzWerk – the two commands: `make html` and `make test`.
# Both set up their own virtual environment on a fresh machine.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installiert
NODE_STAMP := node_modules/.installiert

.PHONY: html intern check test test-fast lint format clean browser-deps bench

html: $(STAMP)  ## Build the public handbook into _build/html
	$(BIN)/regiodocs build

intern: $(STAMP)  ## Build the internal edition into _build/intern
	$(BIN)/regiodocs build --intern

check: $(STAMP)  ## Check content/ without building
	$(BIN)/regiodocs check

test: $(STAMP) browser-deps  ## Lint and run every test (browser tests need chromium)
	$(BIN)/ruff check regiodocs tests conf.py bench
	$(BIN)/ruff format --check regiodocs tests conf.py bench
	$(BIN)/python -m pytest

test-fast: $(STAMP)  ## Tests without the browser
	$(BIN)/python -m pytest -m "not browser"

lint: $(STAMP)
	$(BIN)/ruff check regiodocs tests conf.py bench

format: $(STAMP)
	$(BIN)/ruff format regiodocs tests conf.py bench
	$(BIN)/ruff check --fix regiodocs tests conf.py bench

$(STAMP): pyproject.toml requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# axe-core (accessibility audit) from npm, pinned in package-lock.json.
# Debian's chromium is installed by .ci/run (root); here we only say loudly when it is missing.
browser-deps: $(NODE_STAMP)
	@if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/lib/chromium/chromium ]; then \
	  echo "!!! chromium fehlt: Browser-Tests werden ÜBERSPRUNGEN (apt-get install chromium) !!!"; \
	fi

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

clean:
	rm -rf _build

BENCH_STAMP := $(VENV)/.bench-installiert

bench: $(STAMP) $(BENCH_STAMP)  ## Benchmarks: writes BENCHMARKS.md and bench/ergebnisse.json
	$(BIN)/python bench/run.py

$(BENCH_STAMP): requirements-bench.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-bench.txt
	touch $@
