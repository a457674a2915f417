# One entry point: `make preflight` (set up + run the dev stack offline), `make test` (set up + all tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The policy pack's own virtualenv, where the Pulumi CLI runs it (PulumiPolicy.yaml: virtualenv: venv).
# The CLI does not create it for a local --policy-pack; opsctl preflight runs the pack from it too.
PACK_VENV := policies/venv
PACK_STAMP := $(PACK_VENV)/.installed

.PHONY: setup pack preflight test test-fast lint bench bench-gate lock docs clean

$(STAMP): requirements.txt requirements-dev.txt constraints.txt policies/requirements.txt pyproject.toml setup.py policies/PulumiPolicy.yaml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(PACK_STAMP): policies/requirements.txt constraints.txt
	test -x $(PACK_VENV)/bin/python || $(PYTHON) -m venv $(PACK_VENV)
	$(PACK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -r policies/requirements.txt
	touch $@

setup: $(STAMP) $(PACK_STAMP)

pack: $(PACK_STAMP)  # only what `pulumi preview --policy-pack policies` needs

preflight: setup
	$(BIN)/opsctl preflight --stack dev

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

test-fast: lint  # the inner loop: everything but the end-to-end tests that build wheels and virtualenvs
	$(BIN)/python -m pytest -m "not slow"

bench: setup
	$(BIN)/python benchmarks/preflight.py
	$(BIN)/python benchmarks/scale.py
	$(BIN)/python benchmarks/notifier.py
	$(BIN)/python benchmarks/audit.py

# checkov lives in its own environment: the gate benchmark compares the pack with it.
CHECKOV_VENV := .bench/checkov
$(CHECKOV_VENV)/.installed: benchmarks/checkov-constraints.txt
	test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r benchmarks/checkov-constraints.txt
	touch $@

bench-gate: setup $(CHECKOV_VENV)/.installed
	$(BIN)/python benchmarks/gate.py --checkov $(CHECKOV_VENV)/bin/checkov

docs: setup
	$(BIN)/python -m policies.guardrails.taggable
	$(BIN)/python -m tools.docs

# Resolved afresh in a scratch virtualenv, without the old constraints: after a Dependabot update
# they contradict the requirements, so .venv cannot even be made. Transitive pins may move too.
LOCK_VENV := .lock-venv
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -r policies/requirements.txt
	{ echo "# Full pin set (pip freeze of requirements-dev.txt and policies/requirements.txt on Python 3.11); regenerate with: make lock"; \
	  $(LOCK_VENV)/bin/python -m pip freeze; } > constraints.txt
	rm -rf $(LOCK_VENV)

clean:
	rm -rf $(VENV) $(PACK_VENV) $(LOCK_VENV) .bench .pytest_cache .ruff_cache .mypy_cache .hypothesis
