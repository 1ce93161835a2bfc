# OCRN attachment assistant. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup spacy-model train run shell status validate test clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: ## Create .venv, install pinned packages, provide the Dutch spaCy pipeline
	@bash scripts/setup.sh

spacy-model: ## Try again to install nl_core_news_sm (needs internet)
	@bash scripts/setup.sh --retry-download

train: setup ## Train the model if data, config or pipeline changed
	@bash scripts/train.sh

run: train ## Set up, train if needed, and start the bot on localhost (Ctrl-C stops)
	@bash scripts/run.sh

shell: train ## Chat with the bot in the terminal
	@source scripts/env.sh && .venv/bin/rasa run actions --actions actions --port $$ACTION_PORT >var/log/actions-shell.log 2>&1 & \
	  pid=$$!; trap "kill $$pid" EXIT; .venv/bin/rasa shell --model models/ocrn.tar.gz --endpoints endpoints.yml

status: ## Which spaCy pipeline is active, and are the servers up?
	@source scripts/env.sh && .venv/bin/python scripts/status.py

validate: setup ## Check the training data and domain
	@bash scripts/validate.sh

test: train ## Run every test: data validation, story tests, pytest (NLU, actions, safety net, REST)
	@bash scripts/test.sh

clean: ## Remove trained models, test results and runtime data (keeps .venv)
	rm -rf models results var .rasa tests/output
