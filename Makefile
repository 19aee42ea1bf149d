# Leads & Conversions Lab
#   make lab    set up (first time only) and open JupyterLab on the lessons
#   make test   set up (first time only) and run every test
# Everything lives in .venv inside this folder; delete it to start over.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Extra arguments for `jupyter lab`, e.g. make lab LAB_ARGS="--no-browser --port=8899"
LAB_ARGS ?=
# Extra arguments for pytest, e.g. make test PYTEST_ARGS="-k bots"
PYTEST_ARGS ?=
# Extra arguments for the benchmarks, e.g. make bench BENCH_ARGS="--sizes 100k,1M" or "--quick"
BENCH_ARGS ?=

.PHONY: lab test lint data bench learner setup clean help mutate

help:
	@echo "make lab    set up and open JupyterLab on notebooks/00_start_here.ipynb"
	@echo "make test   set up and run every test (unit, doctests, notebooks, browser)"
	@echo "make lint   ruff and notebook hygiene"
	@echo "make data   regenerate data/ from the default seed"
	@echo "make bench  benchmarks at 100k, 1M and 10M sessions (slow; not part of test)"
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

# Installs only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	@# JupyterLab: no news pop-up, no update checks (the kit works offline)
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@printf '%s\n' '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
	  > $(VENV)/share/jupyter/lab/settings/overrides.json
	@touch $(STAMP)

setup: $(STAMP)

# localhost only, token auth left on; no news, update checks or extension downloads (offline).
LAB_OPTS := --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=notebooks \
  --LabApp.news_url=None --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
  --LabApp.extension_manager=readonly \
  $(if $(filter 0,$(shell id -u)),--allow-root)

# EDITION=learner serves the workshop handout (learner/, made by `make learner` if missing).
EDITION ?= self-study
LAB_DIR := $(if $(filter learner,$(EDITION)),learner,notebooks)

lab: setup
	$(if $(filter learner,$(EDITION)),test -f learner/00_start_here.ipynb || $(BIN)/python -m helpers.classroom learner-copy learner)
	$(BIN)/jupyter lab $(subst root_dir=notebooks,root_dir=$(LAB_DIR),$(LAB_OPTS)) $(LAB_ARGS) $(LAB_DIR)/00_start_here.ipynb

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check helpers tests benchmarks notebooks
	@# notebooks stored without outputs, execution counts or volatile metadata (cell ids kept)
	$(BIN)/nbstripout --keep-id --verify notebooks/*.ipynb
	$(BIN)/python tests/notebook_hygiene.py notebooks

data: setup
	$(BIN)/python -m helpers.synth --out data

bench: setup
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

# Mutation testing (mutmut) of the metric functions of helpers/conversions.py; settings in
# pyproject.toml [tool.mutmut]. Survivors: .venv/bin/mutmut results, then mutmut show NAME.
METRICS := interval rate _as_count count rate_table _count_by_category _step_codes _compact \
  funnel compare sample_size_per_version _share _check_confidence _check_method
mutate: setup
	$(BIN)/python -m pip install --quiet -e ".[mutate]"
	$(BIN)/mutmut run $(foreach f,$(METRICS),"helpers.conversions.x_$(f)__mutmut_*") \
	  "helpers.conversions.xǁComparisonǁsignificant__mutmut_*"
	$(BIN)/mutmut results | { grep -v "not checked" || true; }

learner: setup
	$(BIN)/python -m helpers.classroom learner-copy learner

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache tests/artifacts
