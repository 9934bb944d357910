# One vocabulary for the whole project. `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

export AWS_DEFAULT_REGION ?= us-east-1

.DEFAULT_GOAL := help
.PHONY: help venv up down logs status test lint test-py bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP) ## create the virtualenv and install the pinned toolchain

up: $(STAMP) ## start the local cloud (and mocks) in the background; twice is harmless
	@$(PY) -m localcloud.ctl up

down: ## stop what `make up` started, by pid
	@$(PY) -m localcloud.ctl down

status: ## show what is running
	@$(PY) -m localcloud.ctl status

logs: ## follow the local cloud's log
	@tail -n 50 -F .localcloud/localcloud.log

lint: $(STAMP) ## ruff, mypy and cfn-lint on every template
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy localcloud tests
	@templates=$$(find stacks tests/fixtures/templates -name '*.yaml' 2>/dev/null); \
	  if [ -n "$$templates" ]; then echo "cfn-lint $$templates" | tr '\n' ' '; echo; $(VENV)/bin/cfn-lint $$templates; fi

test-py: $(STAMP) ## the pytest suite (starts its own local cloud if none is up)
	$(VENV)/bin/pytest

test: lint test-py ## everything CI runs

bench: $(STAMP) ## performance figures (prints, asserts nothing about time)
	$(PY) -m tests.bench.run

clean: down ## remove local state
	rm -rf .localcloud .pytest_cache .mypy_cache .ruff_cache
