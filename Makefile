# Set-up and everyday tasks. `make site` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test install browser checkers rsync lint sample clean serve golden

site: $(STAMP)            ## create the environment and build the bundled sample site into site/
	$(BIN)/kospi-report build --content content --out site

test: $(STAMP) browser checkers rsync  ## install test needs (Chromium, rsync via apt-get if missing) and run the whole suite
	$(BIN)/python -m pytest -n 2 --dist loadgroup

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,search]'
	touch $(STAMP)

browser:                  ## Debian's Chromium for the page tests (never a downloaded browser), with Korean fonts
	@command -v chromium >/dev/null 2>&1 && fc-list :lang=ko 2>/dev/null | grep -q . || { \
	  echo "installing chromium and fonts-noto-cjk with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

rsync:                    ## rsync for the deploy tests (Debian's package)
	@command -v rsync >/dev/null 2>&1 || { \
	  echo "installing rsync with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rsync >/dev/null; }

checkers: tools/node_modules/.installed  ## the Nu Html Checker and axe-core, pinned in tools/package-lock.json

tools/node_modules/.installed: tools/package.json tools/package-lock.json
	@command -v java >/dev/null 2>&1 || { \
	  echo "installing a Java runtime with apt-get (for the Nu Html Checker)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }
	npm ci --prefix tools --no-audit --no-fund --loglevel=error
	touch $@

benchmark: $(STAMP)       ## time cold, no-change and one-new-day builds against Hugo; updates docs/performance.md
	@command -v hugo >/dev/null 2>&1 || { \
	  echo "installing hugo with apt-get"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo >/dev/null; }
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py

lint: $(STAMP)             ## ruff, and mypy over generator/ (settings in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/mypy

sample: $(STAMP)          ## regenerate the bundled synthetic sample data (deterministic)
	$(BIN)/kospi-report sample --out content/data

golden: $(STAMP)          ## write the golden headlines, ledes and the sample site's output digest anew (tests/golden/), to review as a diff
	$(BIN)/python -m tests.golden

serve: $(STAMP)
	$(BIN)/kospi-report serve

clean:
	rm -rf site .site.staging-* .site.lock .build-cache
