# One vocabulary for the whole project. `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

export AWS_DEFAULT_REGION ?= us-east-1

.DEFAULT_GOAL := help
.PHONY: help venv up down logs status test lint test-py bench clean deploy-local deploy destroy outputs seed

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
	$(VENV)/bin/mypy localcloud stacks seed mocks tests functions
	@templates=$$(find stacks tests/fixtures/templates -name '*.yaml' 2>/dev/null); \
	  if [ -n "$$templates" ]; then echo "cfn-lint $$templates" | tr '\n' ' '; echo; $(VENV)/bin/cfn-lint $$templates; fi

test-py: $(STAMP) ## the pytest suite (starts its own local cloud if none is up)
	$(VENV)/bin/pytest

test: lint test-py ## everything CI runs

LOCAL_AWS := AWS_ENDPOINT_URL=http://localhost:$${LOCALCLOUD_PORT:-4566} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test
ENV ?= prod

deploy-local: $(STAMP) ## package, deploy both stacks, seed and upload the UI to the local cloud
	@$(LOCAL_AWS) $(PY) -m stacks.deploy deploy --env local

seed: $(STAMP) ## (re)load the seed data into the local deployment's tables (deploy-local already does it)
	@$(LOCAL_AWS) $(PY) -m seed.load --stack local-shop-app

outputs: $(STAMP) ## the local deployment's outputs as one JSON object (ENV=name for another)
	@if [ "$(origin ENV)" = "command line" ]; then $(PY) -m stacks.deploy outputs --env $(ENV); \
	  else $(LOCAL_AWS) $(PY) -m stacks.deploy outputs --env local; fi

deploy: $(STAMP) ## deploy to real AWS with your credentials: make deploy ENV=prod
	@test -z "$$AWS_ENDPOINT_URL" || { echo "AWS_ENDPOINT_URL is set: unset it to deploy to AWS"; exit 1; }
	$(PY) -m stacks.deploy deploy --env $(ENV)

destroy: $(STAMP) ## remove an AWS deployment (empties its buckets first): make destroy ENV=prod
	@test -z "$$AWS_ENDPOINT_URL" || { echo "AWS_ENDPOINT_URL is set: unset it to destroy on AWS"; exit 1; }
	$(PY) -m stacks.deploy destroy --env $(ENV)

bench: $(STAMP) ## performance figures (prints, asserts nothing about time)
	$(PY) -m tests.bench.run

clean: down ## remove local state
	rm -rf .localcloud .pytest_cache .mypy_cache .ruff_cache
