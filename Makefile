# Leads & Conversions Lab
#   make lab    set up (first time only) and open JupyterLab on the lessons
#   make test   set up (first time only) and run every test
# Everything lives in .venv inside this folder; delete it to start over.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# What a learner needs (the helpers package + JupyterLab), and everything else on top.
STAMP_LAB := $(VENV)/.installed-lab
STAMP_DEV := $(VENV)/.installed-dev
DEV_EXTRAS := lab,test,bench,site
# pip quietly; no "Editable installation" warning box from setuptools (it is information only)
PIP := PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip --quiet
# Extra arguments for `jupyter lab`, e.g. make lab LAB_ARGS="--no-browser --port=8899"
LAB_ARGS ?=
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-k bots"
PYTEST_ARGS ?=
# Extra arguments for the benchmarks, e.g. make bench BENCH_ARGS="--sizes 100k,1M" or "--quick";
# after the 10M tier it runs DuckDB/Spark beside pandas at 10M and the 100M-event DuckDB run
# (--engine-tiers 10M leaves out 100M, --no-engines both; see benchmarks/results.md)
BENCH_ARGS ?=
# Where make site writes the browser edition
SITE_DIR ?= build/site

.PHONY: lab test lint data bench learner setup dev site envcheck mutate clean help

help:
	@echo "make lab    set up and open JupyterLab on notebooks/00_start_here.ipynb"
	@echo "make test   set up and run every test (unit, doctests, notebooks, browser)"
	@echo "make setup  reinstall whatever is missing or outside its pin (what the setup check advises)"
	@echo "make dev   set up everything for contributors (test, bench and site tools too)"
	@echo "make envcheck  the setup check of lesson 00, in the terminal"
	@echo "make lint   ruff and notebook hygiene"
	@echo "make data   regenerate data/ from the default seed"
	@echo "make site   build the browser edition (JupyterLite) in $(SITE_DIR)"
	@echo "make bench  benchmarks at 100k, 1M and 10M sessions, engines at 10M and 100M events (slow; not part of test)"
	@echo "make learner  learner copy of the lessons in learner/ (no solutions, answers or notes)"
	@echo "make mutate  mutation testing of the metric functions (slow; score in tests/MUTATION.md)"

$(BIN)/python:
	@$(PYTHON) -c "import venv, ensurepip" 2>/dev/null || { \
	  echo ""; \
	  echo "  Cannot create a virtual environment: '$(PYTHON) -m venv' is not available."; \
	  echo "  On Debian or Ubuntu: sudo apt-get install python3-venv   (then run make again)"; \
	  echo "  Or use conda instead: conda env create -f environment.yml (see README.md)"; \
	  echo ""; exit 1; }
	@$(PYTHON) -c "import sys; sys.exit(sys.version_info < (3, 10))" || { \
	  echo "  The kit needs Python 3.10 or newer; '$(PYTHON)' is $$($(PYTHON) --version)."; \
	  echo "  Run: make PYTHON=python3.11 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

# A learner's install: the helpers package and JupyterLab, nothing for tests or benchmarks.
# Runs again only when pyproject.toml or setup.py changed since the last install.
$(STAMP_LAB): pyproject.toml setup.py | $(BIN)/python
	$(PIP) install -e ".[lab]"
	@$(BIN)/python -m helpers.lab --prepare
	@touch $@

# Everything else on top (make test, lint, bench, site), so make lab then make test works.
$(STAMP_DEV): $(STAMP_LAB)
	$(PIP) install -e ".[$(DEV_EXTRAS)]"
	@touch $@

# Always asks pip, so it reinstalls whatever is missing or outside its pin (the setup check's
# advice); with the test tools too when they were installed before.
setup: | $(BIN)/python
	$(PIP) install -e ".[$(if $(wildcard $(STAMP_DEV)),$(DEV_EXTRAS),lab)]"
	@$(BIN)/python -m helpers.lab --prepare
	@touch $(STAMP_LAB) $(if $(wildcard $(STAMP_DEV)),$(STAMP_DEV))
	@$(BIN)/python -m helpers.envcheck --no-data | tail -n 1

dev: $(STAMP_DEV)

# EDITION=learner serves the workshop handout (learner/, made by `make learner` if missing).
EDITION ?= self-study

envcheck: $(STAMP_LAB)
	$(BIN)/python -m helpers.envcheck

# localhost only, token auth on, the link opens lesson 00; quiet and offline (helpers/lab.py).
lab: $(STAMP_LAB)
	$(if $(filter learner,$(EDITION)),test -f learner/00_start_here.ipynb || $(BIN)/python -m helpers.classroom learner-copy learner)
	$(BIN)/python -m helpers.lab $(if $(filter learner,$(EDITION)),--ServerApp.root_dir=learner) $(LAB_ARGS)

test: $(STAMP_DEV)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP_DEV)
	$(BIN)/ruff check helpers tests benchmarks notebooks
	@# notebooks stored without outputs, execution counts or volatile metadata (cell ids kept)
	$(BIN)/nbstripout --keep-id --verify notebooks/*.ipynb
	$(BIN)/python tests/notebook_hygiene.py notebooks

data: $(STAMP_LAB)
	$(BIN)/python -m helpers.synth --out data

bench: $(STAMP_DEV)
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Mutation testing (mutmut) of the metric functions of helpers/conversions.py, the sample
# size of helpers/experiments.py, the reconciling tables of bots, leads and metrics, and the
# pipeline's numbers (leads.pipeline, the capstone and its tables in helpers/pipeline.py);
# settings in pyproject.toml [tool.mutmut]. Survivors: .venv/bin/mutmut results, then
# mutmut show NAME. KIT_DATA: mutmut runs the tests from a copy of helpers/ without data/.
METRICS := interval rate _as_count count rate_table _count_by_category _step_codes _compact \
  _arrow_text _person_codes _rates_from_counts funnel compare _clear _check_confidence _check_method
TABLES := helpers.bots.x_report helpers.bots.x_evaluate helpers.metrics.x_scores \
  helpers.leads.x_qualify_report helpers.leads.x_pipeline helpers.pipeline.x_capstone_results \
  helpers.pipeline.x_capstone_rates helpers.pipeline.x__metric_column helpers.pipeline.x_focus \
  helpers.pipeline.x_channel_funnel helpers.pipeline.xǁCapstoneǁrate
mutate: $(STAMP_DEV)
	$(BIN)/python -m pip install --quiet -e ".[mutate]"
	KIT_DATA=$(CURDIR)/data $(BIN)/mutmut run \
	  $(foreach f,$(METRICS),"helpers.conversions.x_$(f)__mutmut_*") \
	  "helpers.experiments.x_sample_size_per_version__mutmut_*" "helpers.experiments.x__share__mutmut_*" \
	  $(foreach f,$(TABLES),"$(f)__mutmut_*")
	$(BIN)/mutmut results | { grep -v "not checked" || true; }

learner: $(STAMP_LAB)
	$(BIN)/python -m helpers.classroom learner-copy learner

# The browser edition: a static JupyterLite site (Pyodide kernel) with the lessons, the data
# and the kit's own wheel. Builds offline once installed; README.md says how to host it.
site: $(STAMP_DEV)
	$(BIN)/python lite/build.py --out $(SITE_DIR)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache tests/artifacts $(SITE_DIR)
