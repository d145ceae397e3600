# The project's commands. `make report` and `make test` each set up what they need first:
# a virtual environment in .venv with the exact versions of requirements.lock, the package
# installed editable, the offline NLTK data and the project's Jupyter kernel.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
KERNEL := discourse-analysis
PARAMS ?= params/default.yml
READY  := $(VENV)/.ready-$(KERNEL)
PIP    := $(PY) -m pip --disable-pip-version-check --quiet

export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.PHONY: setup report test lint lab bench lock clean refresh-notebooks

## setup: create or refresh .venv (seconds when nothing changed)
setup: $(READY)

$(READY): requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -c requirements.lock -e '.[dev,dask]'
	$(PY) -m analysis setup --kernel $(KERNEL)
	@touch $@

## report: run the default report (01-04) on the default corpus (PARAMS=params/other.yml for
## another; params/validation.yml and params/ungdc-stance.yml run the studies 05 and 06)
report: setup
	$(PY) -m analysis report --params $(PARAMS)

## test: lint, unit tests, notebook regression (nbval) and figure bytes; nbval checks the
## default report's notebooks only (analysis.runner.notebook_paths): the studies 05, 06 need
## ../shared and long runs, tests/test_studies.py runs them
NBVAL_NOTEBOOKS = $$($(PY) -c 'from analysis.runner import notebook_paths; print(*(f"notebooks/{p.name}" for p in notebook_paths()))')
test: setup
	$(BIN)/ruff check analysis tests
	$(BIN)/pytest tests $(NBVAL_NOTEBOOKS) --nbval --nbval-sanitize-with notebooks/sanitize.cfg

## refresh-notebooks: re-execute notebooks/ IN PLACE with their default parameters and redraw
## figures/ (on purpose, after a change that moves results; review and commit the diff)
refresh-notebooks: setup
	$(PY) -m analysis report --refresh-notebooks

lint: setup
	$(BIN)/ruff check analysis tests

## lab: JupyterLab on localhost, token authentication on; notebooks (and new ones) on the project
## kernel. As root (most containers) it adds --allow-root, which Jupyter otherwise asks for.
lab: setup
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.root_dir=$(CURDIR) \
	  --MappingKernelManager.default_kernel_name=$(KERNEL) \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

## bench: speed, memory and accuracy figures (tables under benchmarks/)
bench: setup
	$(PY) -m analysis bench

## lock: re-resolve the newest versions into requirements.lock (on purpose only)
lock:
	rm -rf build/lock-venv && $(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/pip install --quiet -e '.[dev,dask]'
	build/lock-venv/bin/pip freeze --exclude-editable | LC_ALL=C sort -f > build/lock.txt
	{ sed -n '1,3p' requirements.lock; cat build/lock.txt; } > requirements.lock
	rm -rf build/lock-venv build/lock.txt

clean:
	rm -rf $(VENV) reports build .pytest_cache
