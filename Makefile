# Handbuch RegioNetzWerk – the two commands: `make html` and `make test`.
# Both set up their own virtual environment on a fresh machine.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installiert
NODE_STAMP := node_modules/.installiert

.PHONY: html intern check test test-fast lint format clean browser-deps bench release druck bericht incremental thesaurus

html: $(STAMP) $(NODE_STAMP)  ## Build the public handbook into _build/html
	$(BIN)/regiodocs build

intern: $(STAMP) $(NODE_STAMP)  ## Build the internal edition into _build/intern
	$(BIN)/regiodocs build --intern

# RELEASE_FLAGS are regiodocs release's options: --pruefen (the gate alone), --probe (a marked test
# release), --ohne-pdf, --ohne-tag, --beispiele-erlauben, --nur-pruefen (all: regiodocs release --help)
release: $(STAMP) $(NODE_STAMP)  ## Publish an edition: make release AUSGABE=2026-2 [RELEASE_FLAGS="--probe"]
	@test -n "$(AUSGABE)" || { echo "Bitte AUSGABE angeben, z. B. make release AUSGABE=2026-2 (nur prüfen: make release AUSGABE=2026-2 RELEASE_FLAGS=--pruefen)"; exit 2; }
	$(BIN)/regiodocs release "$(AUSGABE)" $(RELEASE_FLAGS)

druck: $(STAMP)  ## PDF, e.g. make druck DRUCK_FLAGS="--plattform nachhaltige-mobilitaet --typ ergebnis"
	$(BIN)/regiodocs druck $(DRUCK_FLAGS)

bericht: $(STAMP)  ## Review report (old records, overdue agreements, contacts, links)
	$(BIN)/regiodocs bericht

check: $(STAMP)  ## Check content/ without building
	$(BIN)/regiodocs check

test: $(STAMP) browser-deps  ## Lint and run every test (browser tests need chromium)
	$(BIN)/ruff check regiodocs tests conf.py bench scripts
	$(BIN)/ruff format --check regiodocs tests conf.py bench scripts
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

incremental: $(STAMP) $(NODE_STAMP)  ## 200 random edits: every incremental build equals a clean one (bench/inkrementell.json)
	$(BIN)/python tests/incremental.py

test-fast: $(STAMP) $(NODE_STAMP)  ## Tests without the browser (builds need the web editor and KERN from npm)
	$(BIN)/python -m pytest -m "not browser"

lint: $(STAMP)
	$(BIN)/ruff check regiodocs tests conf.py bench scripts
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff format regiodocs tests conf.py bench scripts
	$(BIN)/ruff check --fix regiodocs tests conf.py bench scripts

$(STAMP): pyproject.toml requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# From npm, pinned in package-lock.json: decap-cms (the web editor under /admin/) and
# axe-core (accessibility audit in the tests).
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

thesaurus: $(STAMP)  ## Thesaurus der Suche aus OpenThesaurus neu erzeugen (braucht openthesaurus-de-text)
	$(BIN)/python scripts/thesaurus_erzeugen.py

bench: $(STAMP) $(BENCH_STAMP)  ## Benchmarks: writes BENCHMARKS.md and bench/ergebnisse.json
	$(BIN)/python bench/run.py

$(BENCH_STAMP): requirements-bench.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements-bench.txt
	touch $@
