# halemu: `make demo` shows one guest on four ISAs; `make test` runs the test suite.
# Each makes its own virtual environment in .venv on first use, and installs again
# when the package's set-up or its C sources (hal/core/native/) change.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HAL    := $(VENV)/bin/hal

.PHONY: demo test bench clean

$(VENV)/.installed: pyproject.toml setup.py $(wildcard hal/core/native/*.c)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --upgrade pip
	@# Set-up shows progress, not pages: -qq hides pip's notes (errors still show), and
	@# PYTHONWARNINGS hides setuptools' explanations of editable installs
	PYTHONWARNINGS=ignore $(PY) -m pip install -qq -e '.[test,dask]'
	touch $@

demo: $(VENV)/.installed
	$(HAL) setup
	$(HAL) isas
	$(HAL) run hello --isa all
	$(HAL) run fib --isa all
	$(HAL) schedule --workload guests/workloads/consolidation.toml --compare pinned:8,rr:3

test: $(VENV)/.installed
	$(HAL) setup
	$(PY) -m pytest -q

bench: $(VENV)/.installed
	$(PY) bench/bench.py
	$(PY) bench/tour.py

clean:
	rm -rf $(VENV) build *.egg-info
