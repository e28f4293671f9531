# IURC Impact. `make run` serves the dashboard on the demo data; `make test` runs every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
IURC := $(VENV)/bin/iurc
UV := python3 -m uv
DB ?= data/warehouse/iurc.duckdb
SCALE ?= 1000000
PORT ?= 8050

.PHONY: install browser run demo test test-fast bench loadtest lint clean i18n

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --extra test --locked --quiet
	@touch $@

# Debian's Chromium for the browser tests (browser downloads do not work offline).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

$(DB): | install
	$(IURC) demo --db $(DB)

demo: install
	$(IURC) demo --db $(DB)

run: install $(DB)
	$(IURC) serve --db $(DB) --port $(PORT)

test: install browser
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not browser and not slow"

bench: install browser
	$(PY) -m benchmarks.run --scale $(SCALE)

loadtest: install
	$(PY) -m benchmarks.loadtest

# Translations: extract the keys into the template, merge it into the three catalogues, compile.
# Fill every new msgstr in pipelines/locale/{en,fr,es}/LC_MESSAGES/messages.po, then run again.
LOCALE := pipelines/locale
PYBABEL := $(VENV)/bin/pybabel
i18n: install
	set -o pipefail; $(PYBABEL) extract -F babel.cfg --no-default-keywords -k t -k N_ --no-location --sort-output \
		--no-wrap --project "IURC Impact" --version 0.1 \
		--copyright-holder "IURC Impact contributors" -o $(LOCALE)/messages.pot . 2>&1 \
		| { grep -v "Skipping f-string" || true; }
	$(PYBABEL) update -i $(LOCALE)/messages.pot -d $(LOCALE) --no-wrap --no-fuzzy-matching \
		--ignore-obsolete --ignore-pot-creation-date
	$(PYBABEL) compile -d $(LOCALE) --statistics

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) data/warehouse data/raw/demo test-artifacts
