# One vocabulary for the whole project. `make help` lists the targets.
SHELL := /bin/bash
# npm's once-a-day "new version available" notice is noise on stderr (and the deploy tests read stderr).
export NPM_CONFIG_UPDATE_NOTIFIER := false
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
# checkov pins boto3 to an older release than ours, so it lives in its own venv.
CHECKOV_VENV ?= .venv-checkov
CHECKOV_VERSION := 3.3.30
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed-$(CHECKOV_VERSION)
# TARGET=localstack: up/down/logs drive docker-compose.yml instead of the embedded local cloud.
TARGET ?= local
COMPOSE := $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
NEED_DOCKER = @docker info >/dev/null 2>&1 || { echo "TARGET=localstack needs a running Docker engine and none answers \
(docker info failed). Start Docker, or use the embedded local cloud: make up"; exit 1; }

.DEFAULT_GOAL := help
.PHONY: help venv up down logs status test lint test-py bench conformance load redrive clean bench-api bench-cost deploy-local plan deploy verify destroy outputs ui ui-test ui-e2e seed checkov compose-config test-localstack-profile

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt localcloud/pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP) ## create the virtualenv and install the pinned toolchain

up: $(STAMP) ## start the local cloud (and mocks) in the background; twice is harmless (TARGET=localstack: docker-compose)
ifeq ($(TARGET),localstack)
	$(NEED_DOCKER)
	@if [ "$(COMPOSE)" = "docker compose" ]; then docker compose up -d --build --wait; \
	  else docker-compose up -d --build && for i in $$(seq 120); do \
	    curl -fsS localhost:4566/_localstack/init/ready 2>/dev/null | grep -q '"completed": *true' && exit 0; sleep 2; done; \
	    echo "LocalStack did not become ready: docker-compose logs localstack"; exit 1; fi
	@echo "LocalStack ready on http://localhost:4566 (mail: http://localhost:8025). Next: make deploy-local"
else
	@$(PY) -m localcloud.ctl up
endif

down: ## stop what `make up` started, by pid (TARGET=localstack: docker-compose down)
ifeq ($(TARGET),localstack)
	$(NEED_DOCKER)
	$(COMPOSE) down
else
	@$(PY) -m localcloud.ctl down
endif

status: ## show what is running
	@$(PY) -m localcloud.ctl status

logs: ## follow the local cloud's log (TARGET=localstack: the compose services' logs)
ifeq ($(TARGET),localstack)
	$(NEED_DOCKER)
	$(COMPOSE) logs -f --tail=50
else
	@tail -n 50 -F .localcloud/localcloud.log
endif

lint: $(STAMP) checkov compose-config ## ruff, mypy, cfn-lint on every template, IAM policies (parliament), checkov on stacks/, compose file
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy stacks seed mocks tests functions tools
	cd localcloud && $(abspath $(VENV))/bin/mypy  # the package's own settings: src/ and tests/
	@templates=$$(find stacks tests/fixtures/templates localcloud/tests/fixtures/templates -name '*.yaml' 2>/dev/null); \
	  if [ -n "$$templates" ]; then echo "cfn-lint $$templates" | tr '\n' ' '; echo; $(VENV)/bin/cfn-lint $$templates; fi
	$(PY) -m tools.iam_lint  # parliament on every policy in stacks/ (ignores, each with why: .parliament.yaml)

$(CHECKOV_STAMP):
	@test -x $(CHECKOV_VENV)/bin/python || python3 -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q --disable-pip-version-check checkov==$(CHECKOV_VERSION)
	@touch $(CHECKOV_STAMP)

checkov: $(CHECKOV_STAMP) ## checkov on stacks/ (settings and why in .checkov.yaml; skips justified in the templates)
	$(CHECKOV_VENV)/bin/checkov --config-file .checkov.yaml

compose-config: ## validate docker-compose.yml (skipped, with a note, when docker-compose is not installed)
	@if command -v docker-compose >/dev/null 2>&1; then docker-compose config -q && echo "docker-compose config: ok"; \
	  else echo "compose-config: skipped (docker-compose not installed; CI installs Debian's package)"; fi

test-py: $(STAMP) ## the pytest suites: the local cloud's own (localcloud/tests), then the shop's (each starts a cloud if none is up)
	cd localcloud && $(abspath $(VENV))/bin/pytest
	$(VENV)/bin/pytest

UI_SOURCES := $(shell find react-ui/src react-ui/index.html react-ui/vite.config.ts react-ui/tsconfig.json react-ui/package-lock.json -type f 2>/dev/null)

react-ui/node_modules/.installed: react-ui/package-lock.json
	cd react-ui && npm ci --no-audit --no-fund
	@touch $@

react-ui/dist/index.html: react-ui/node_modules/.installed $(UI_SOURCES)
	cd react-ui && npm run build

ui: react-ui/dist/index.html ## install the storefront's packages, type-check and build react-ui/dist

ui-test: ui ## the storefront's component tests (Vitest)
	cd react-ui && npm run test

ui-e2e: ## the storefront in headless Chromium against the local deployment (make up && make deploy-local first)
	cd react-ui && WEB_URL=$$(jq -r .WebUrl ../.artifacts/outputs-local.json) \
	  MAIL_URL=http://localhost:$${LOCALCLOUD_MAIL_API_PORT:-8025} npm run e2e

# The docker-compose target's behaviour without Docker: the local cloud leaves out what LocalStack community lacks
# (localstack/README.md cites each gap), tests/e2e skips what needs it. Only tests/e2e (curl scripts included).
test-localstack-profile: $(STAMP) ## the e2e suite and curl scripts with LOCALCLOUD_PROFILE=localstack-community
	LOCALCLOUD_PROFILE=localstack-community $(VENV)/bin/pytest tests/e2e

test: lint ui-test test-py test-localstack-profile ## everything CI runs: lint, UI tests, pytest (deploys and drives the shop), then the e2e suite in the LocalStack community profile

LOCAL_AWS := AWS_ENDPOINT_URL=http://localhost:$${LOCALCLOUD_PORT:-4566} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test \
  AWS_DEFAULT_REGION=$${AWS_DEFAULT_REGION:-us-east-1}
ENV ?= prod
# YES=1: deploy or destroy on AWS without the confirmation prompt (CI). Without it, the tool asks on a
# terminal and refuses when nobody can answer.
YES ?=
YES_FLAG := $(if $(filter 1 y yes true,$(YES)),--yes,)
# The AWS targets go to real AWS only: a local endpoint left in the environment must not catch a release.
NOT_LOCAL = @test -z "$$AWS_ENDPOINT_URL" || { echo "error: AWS_ENDPOINT_URL is set ($$AWS_ENDPOINT_URL): unset it to $(1) on AWS" >&2; exit 1; }

deploy-local: $(STAMP) ui ## package, deploy both stacks, seed and upload the UI to the local cloud (or LocalStack)
	@params=""; if curl -fsS localhost:$${LOCALCLOUD_PORT:-4566}/_localstack/health 2>/dev/null \
	    | grep -Eq '"edition": *"(community|pro|enterprise|base|ultimate)"'; then \
	  params=stacks/params/localstack.json; echo "LocalStack answers on the endpoint: parameters from $$params"; fi; \
	  $(LOCAL_AWS) SHOP_PARAMS_FILE=$${SHOP_PARAMS_FILE:-$$params} $(PY) -m stacks.deploy deploy --env local

seed: $(STAMP) ## (re)load the seed data into the local deployment's tables (deploy-local already does it)
	@$(LOCAL_AWS) $(PY) -m seed.load --stack local-shop-app

outputs: $(STAMP) ## the local deployment's outputs as one JSON object (ENV=name for another)
	@if [ "$(origin ENV)" = "command line" ]; then $(PY) -m stacks.deploy outputs --env $(ENV); \
	  else $(LOCAL_AWS) $(PY) -m stacks.deploy outputs --env local; fi

plan: $(STAMP) ui ## what `make deploy ENV=prod` would change on AWS (both stacks' change sets), changing nothing
	$(call NOT_LOCAL,plan)
	@$(PY) -m stacks.deploy plan --env $(ENV)

deploy: $(STAMP) ui ## deploy to AWS with your credentials: shows the plan, then asks (YES=1: does not ask)
	$(call NOT_LOCAL,deploy)
	@$(PY) -m stacks.deploy deploy --env $(ENV) $(YES_FLAG)

verify: $(STAMP) ## is the AWS deployment ready: both stacks complete, the email subscriptions confirmed
	$(call NOT_LOCAL,verify)
	@$(PY) -m stacks.deploy verify --env $(ENV)

destroy: $(STAMP) ## remove an AWS deployment: says what it deletes, then asks (YES=1: does not ask)
	$(call NOT_LOCAL,destroy)
	@$(PY) -m stacks.deploy destroy --env $(ENV) $(YES_FLAG)

LIGHTHOUSE := tools/bench/lighthouse
$(LIGHTHOUSE)/node_modules/.installed: $(LIGHTHOUSE)/package-lock.json
	cd $(LIGHTHOUSE) && npm ci --no-audit --no-fund
	@touch $@

bench: $(STAMP) ui $(LIGHTHOUSE)/node_modules/.installed ## performance figures and Lighthouse scores (prints, asserts nothing about time)
	$(PY) -m tools.bench.run

bench-api: $(STAMP) ## only the App Server rows of docs/performance.md, median of 3 rounds (ARGS=--profile: cProfile too)
	$(PY) -m tools.bench.api_bench $(ARGS)

bench-cost: $(STAMP) ## billed units per order counted from the executions, priced (tools/list_prices.py): one order, then a load run
	$(PY) -m tools.bench.cost_bench $(ARGS)

# LocalStack's AWS-validated snapshot tests against the local cloud and plain moto, through the shared runner
# (../shared/conformance). A measurement like bench: CI cannot fetch the suite. The suite comes from LS_GIT (a git
# dir of github:localstack/localstack) or a checkout an earlier run left in $(CONF)/ls. ONLY='sqs|sns' reruns
# those folders and keeps the others' last outputs; a full run starts from empty output dirs.
CONF ?= $(or $(TMPDIR),/tmp)/conformance
CONFORMANCE_PORT ?= 4600
CONFORMANCE_MOTO_PORT ?= 4650
# the suite's venv needs Python >= 3.13 (localstack-core imports warnings.deprecated)
CONFORMANCE_PYTHON ?= $(or $(lastword $(sort $(wildcard $(HOME)/.pyenv/versions/3.1[3-9]*/bin/python))),$(shell command -v python3.13))
RUN_CONFORMANCE = CONF=$(CONF) PYTHON=$(CONFORMANCE_PYTHON) ../shared/conformance/run.sh

conformance: $(STAMP) ## LocalStack's AWS-recorded tests, local cloud vs plain moto -> docs/conformance.md (LS_GIT=<localstack git dir>)
	@test -n "$$LS_GIT" || test -f $(CONF)/ls/pyproject.toml || { echo "conformance: set LS_GIT to a git dir of \
github:localstack/localstack (or leave the checkout of an earlier run in $(CONF)/ls)"; exit 1; }
	@test -x ../shared/conformance/run.sh || { echo "conformance: ../shared/conformance/run.sh not found"; exit 1; }
	@if [ -z "$$ONLY" ]; then rm -rf $(CONF)/out-localcloud $(CONF)/out-moto; fi
	$(RUN_CONFORMANCE) localcloud $(CONFORMANCE_PORT) $(CURDIR) $(CONF)/out-localcloud
	$(RUN_CONFORMANCE) moto $(CONFORMANCE_MOTO_PORT) $(CURDIR) $(CONF)/out-moto
	$(PY) tools/conformance.py $(CONF)/out-localcloud $(CONF)/out-moto \
	  --command "make conformance LS_GIT=<localstack git dir>$${ONLY:+ ONLY='$$ONLY'}"

N ?= 1000
C ?= 20
FAULTS ?=
load: $(STAMP) ## N orders, C at a time, optional FAULTS=all or a list (tools/load/run.py names them); reconciled
	$(PY) -m tools.load --orders $(N) --concurrency $(C) --faults "$(FAULTS)"

redrive: $(STAMP) ## move the orders DLQ's messages back to the orders queue after a fix (ENV=prod for AWS)
	@if [ "$(origin ENV)" = "command line" ]; then $(PY) -m tools.redrive --env $(ENV); \
	  else $(LOCAL_AWS) $(PY) -m tools.redrive --env local; fi

clean: down ## remove local state
	rm -rf .localcloud .pytest_cache .mypy_cache .ruff_cache
