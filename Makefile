# IURC Impact. `make run` serves the dashboard on the demo data; `make test` runs every test.
#
# Set-up uses Python's own venv module, so it works with an "externally managed" system python3
# (Debian 12): nothing is ever installed into the system interpreter. `uv` is installed inside
# .venv and installs the locked packages there.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
IURC := $(VENV)/bin/iurc
UV_VERSION ?= 0.13.9
# uv syncs exactly this venv, with its own interpreter, and never downloads a Python
UV := UV_PROJECT_ENVIRONMENT=$(abspath $(VENV)) UV_PYTHON_DOWNLOADS=never $(VENV)/bin/uv
# --compile-bytecode: the packages' .pyc are written once here. Where PYTHONDONTWRITEBYTECODE is
# set (CI, containers) Python otherwise compiles every imported module on every start: ~6 s of
# CPU per `iurc report` (~10 s -> ~3.5 s of imports), and per test worker and server process.
# `uv sync` is exact: it would remove an extra a developer added (make test-spark, make notebooks,
# make eval-sdg EXTRA=model). Every sync therefore keeps the optional extras whose packages are all
# installed already (`make installed-extras` prints them), read from pyproject.toml when it runs.
define KEEP_EXTRAS_PY
import importlib.metadata as md, re, tomllib
extras = tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]
def installed(requirement):
    try:
        md.distribution(re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0])
    except md.PackageNotFoundError:
        return False
    return True
print(" ".join(f"--extra {name}" for name, reqs in extras.items()
               if name not in ("test", "report") and all(map(installed, reqs))))
endef
export KEEP_EXTRAS_PY
KEEP_EXTRAS := $$($(PY) -c "$$KEEP_EXTRAS_PY" 2>/dev/null)
UV_SYNC := $(UV) sync --python $(PY) --locked --quiet --compile-bytecode --extra test --extra report $(KEEP_EXTRAS)
# pyspark stays out of the default venv: with it installed, every `import pandera` also imports
# pyspark.pandas (~0.5 s per process, hundreds of test processes). The Spark parity tests and
# `make bench ENGINE=spark` run from a second venv, .venv-spark: the same locked packages plus the
# spark extra, synced by the same uv.
SPARK_VENV := .venv-spark
SPARK_PY := $(SPARK_VENV)/bin/python
SPARK_SYNC := UV_PROJECT_ENVIRONMENT=$(abspath $(SPARK_VENV)) UV_PYTHON_DOWNLOADS=never $(VENV)/bin/uv \
	sync --python $(SPARK_PY) --locked --quiet --compile-bytecode --extra test --extra spark
# The Spark tests (marked spark): every mart computed by Spark local equals DuckDB's, row for row
# (tests/pipelines/test_spark_parity.py); the overview served from the Spark lake shows the DuckDB
# figures (tests/browser/test_spark_lake.py). One pytest process: one demo warehouse, one Spark run.
SPARK_TESTS := $(SPARK_PY) -m pytest -q -p no:cacheprovider --durations=5 -m spark
DB ?= data/warehouse/iurc.duckdb
SCALE ?= 1000000
PORT ?= 8050
# pytest workers (pytest-xdist): one per core of the 2-core CI machines; whole files stay on one worker
TEST_WORKERS ?= 2
NOTEBOOK_PORT ?= 8888

.PHONY: install spark-install browser java run demo test test-fast test-spark bench loadtest lint notebooks clean i18n eval-sdg installed-extras

install: $(VENV)/.installed

# The venv, from the python3 on the PATH (3.11+). Debian ships venv's ensurepip apart, in
# python3-venv: installed with apt-get (as root) when missing. A venv without pip (half made, or
# made by another tool) is made again.
$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "IURC Impact needs Python 3.11+; $(PYTHON) is $$($(PYTHON) -V 2>&1)" >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
		echo "$(PYTHON) has no venv/ensurepip: installing Debian's python3-venv with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; }
	$(PYTHON) -m venv --clear $(VENV)

$(VENV)/bin/uv: | $(PY)
	@$(PY) -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.installed: pyproject.toml uv.lock | $(VENV)/bin/uv
	$(UV_SYNC)
	$(PY) -m compileall -q pipelines schemas dashboard iurc benchmarks
	@touch $@

# .venv-spark (see SPARK_VENV): a venv without pip (uv installs into it), synced from uv.lock
spark-install: $(SPARK_VENV)/.installed

$(SPARK_VENV)/.installed: pyproject.toml uv.lock | $(VENV)/bin/uv
	$(PYTHON) -m venv --without-pip $(SPARK_VENV)
	$(SPARK_SYNC)
	$(SPARK_PY) -m compileall -q pipelines schemas dashboard iurc benchmarks tests
	@touch $@

# the --extra flags every sync adds to keep the optional extras installed in .venv
installed-extras: | $(PY)
	@echo $(KEEP_EXTRAS)

# Debian's Chromium for the browser tests and the report's charts (browser downloads do not work
# offline); poppler-utils (pdftotext, pdftoppm) for the report tests.
browser:
	@{ command -v chromium && command -v pdftotext; } >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; }

# A Java runtime for Spark (the `spark` extra: iurc publish --engine spark, the parity test).
java:
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }

# the demo warehouse is built again when the warehouse's SQL (tables, marts) changed since, so
# `make run` after a pull never serves marts the code no longer matches
$(DB): pipelines/warehouse/sql/ddl.sql $(wildcard pipelines/warehouse/sql/marts/*.sql) | install
	$(IURC) demo --db $(DB)

demo: install
	$(IURC) demo --db $(DB)

run: install $(DB)
	$(IURC) refresh --db $(DB)
	$(IURC) serve --db $(DB) --port $(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Every test: the main suite on .venv, then the Spark tests on .venv-spark (after it, so the
# Spark run has both cores).
test: install browser lint spark-install java
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile --durations=25 -m "not spark"
	$(SPARK_TESTS)

# The Spark tests alone
test-spark: install spark-install browser java
	$(SPARK_TESTS)

test-fast: install
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile -m "not browser and not slow"

# `make bench ENGINE=spark`: the mart build on Spark local beside DuckDB at SCALE rows
ENGINE ?= duckdb
bench: install browser $(if $(filter spark,$(ENGINE)),java spark-install)
ifeq ($(ENGINE),spark)
	$(SPARK_PY) -m benchmarks.spark_bench --scale $(SCALE)
else
	$(PY) -m benchmarks.run --scale $(SCALE)
endif

loadtest: install
	$(PY) -m benchmarks.loadtest

# JupyterLab (the `analysis` extra, beside the test extra) on notebooks/, loopback only.
notebooks: install $(DB)
	$(UV_SYNC) --extra analysis
	IURC_DB=$(abspath $(DB)) $(VENV)/bin/jupyter lab --ServerApp.root_dir=notebooks \
		--ServerApp.ip=127.0.0.1 --ServerApp.port=$(NOTEBOOK_PORT) --no-browser \
		$(if $(filter 0,$(shell id -u)),--allow-root)

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


clean:
	rm -rf $(VENV) $(SPARK_VENV) data/warehouse data/raw/demo test-artifacts

# SDG tagger on the SDG Classification Benchmark (held-out half) and the FR/ES labelled sets;
# fails when accuracy drops more than a point below benchmarks/results/sdg_eval.json.
.PHONY: eval-sdg
# EXTRA=model also evaluates the sdg-model extra (installed here first) beside the keyword method,
# on one BLAS thread: on the shared 2-core machines spinning OpenBLAS threads made it 4x slower
EXTRA ?=
eval-sdg: install
	$(if $(EXTRA),$(UV_SYNC) --extra sdg-model)
	$(if $(EXTRA),OPENBLAS_NUM_THREADS=1 )$(PY) -m pipelines.tagging.evaluate --check --labelled tests/fixtures/sdg/labelled_fr.csv tests/fixtures/sdg/labelled_es.csv $(if $(EXTRA),--extra $(EXTRA))
