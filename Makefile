# Pocket POS collection: developer and CI entry points. `make help` lists them.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Version of the PyPI `ansible` package whose bundled collections requirements.yml pins.
export POS_ANSIBLE_BUNDLE := 12.3.0
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
ROLE ?=

.PHONY: bench-deploy bench-images help setup testbed docs lint sanity unit integration molecule e2e local test bench bench-kafka clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: ## Create .venv (pinned toolchain) and the collections path (pinned collections, this checkout)
	@bash tools/setup.sh

testbed: setup ## Docker engine, base and Molecule host images, private registry with every image pushed
	bash tools/testbed/engine.sh
	ansible-playbook -i inventories/local playbooks/registry.yml playbooks/images.yml tools/testbed/hosts.yml

docs: setup ## Write each role's README from its meta/argument_specs.yml
	python tools/role_docs.py

lint: setup ## yamllint, ansible-lint (production profile), ruff, changelog fragments
	yamllint --strict .
	ansible-lint --strict
	ruff check .
	ruff format --check .
	antsibull-changelog lint

sanity: setup ## ansible-test sanity on the collection (Python 3.11, locally)
	bash tools/ansible-test.sh sanity --python 3.11 --local --color no

unit: setup ## pytest tests/unit and the reference applications' own tests (npm test)
	pytest tests/unit
	bash tools/app-tests.sh

integration: testbed ## Collection build/install, playbook syntax, preflight refusals, modules against real services
	pytest tests/integration --durations=15
	bash tools/ansible-test.sh integration --python 3.11 --local --color no

molecule: testbed ## Molecule scenarios (all, or ROLE=name)
	@bash tools/molecule.sh $(ROLE)

e2e: testbed ## The whole stack deployed on this machine (deploy.yml, inventories/local): order via nginx, rerun changed=0, check mode
	pytest tests/e2e --durations=0

bench-kafka: testbed ## Benchmark: 100 topics with kafka_topic against 100 kafka-topics.sh calls (about 7 minutes)
	python benchmarks/kafka_topics.py

bench-images: testbed ## Benchmark: application image sizes and build times against a naive single-stage build (about 6 minutes)
	python benchmarks/images.py

bench-deploy: testbed ## Benchmark: a cold deploy.yml against docker compose up --wait, and the no-op rerun (medians of 3 runs, about 10 minutes)
	python benchmarks/deploy.py

bench: bench-kafka bench-images bench-deploy ## Every benchmark (not part of make test; figures in docs/)

local: testbed ## Deploy the whole stack on this machine (inventories/local)
	ansible-playbook deploy.yml -i inventories/local

test: setup lint sanity unit integration molecule e2e ## Everything CI runs
	@echo "make test: all stages passed"

clean: ## Remove .venv, .collections and test output (the cache in ~/.cache/pocket-pos stays)
	rm -rf $(VENV) .collections tests/output .pytest_cache .ruff_cache
