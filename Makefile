# OCRN attachment assistant. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup spacy-model train run web shell status validate test bench soak review review-user retention export clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: ## Create .venv, install pinned packages, the Dutch spaCy pipeline, the widget's npm packages
	@bash scripts/setup.sh

spacy-model: ## Try again to install nl_core_news_sm (needs internet)
	@bash scripts/setup.sh --retry-download

train: setup ## Train the model if data, config or pipeline changed
	@bash scripts/train.sh

run: train ## Set up, train if needed, start the bot and the widget page on localhost (Ctrl-C stops)
	@bash scripts/run.sh

web: ## Serve only the widget page (web/) on localhost:8080, for a Rasa server that already runs
	@bash scripts/setup_web.sh && source scripts/env.sh && .venv/bin/python web/serve.py

shell: train ## Chat with the bot in the terminal
	@source scripts/env.sh && .venv/bin/rasa run actions --actions actions --port $$ACTION_PORT >var/log/actions-shell.log 2>&1 & \
	  pid=$$!; trap "kill $$pid" EXIT; .venv/bin/rasa shell --model models/ocrn.tar.gz --endpoints "$$RASA_ENDPOINTS"

status: ## Which spaCy pipeline is active, and are the servers up?
	@source scripts/env.sh && .venv/bin/python scripts/status.py

validate: setup ## Check the training data and domain
	@bash scripts/validate.sh

test: train ## Run every test: data validation, story tests, pytest (NLU, actions, safety net, REST, widget in Chromium)
	@bash scripts/test.sh

bench: train ## Benchmarks and NLU evaluation into docs/benchmarks.md, ~20 min (ARGS="--quick" for a smoke run)
	@.venv/bin/pip install -q -r bench/requirements.txt && source scripts/env.sh && .venv/bin/python -m bench.run $(ARGS)

soak: train ## Soak test: 10 000 fuzzed messages against servers it starts (ARGS="--messages 2000 --max-seconds 600")
	@source scripts/env.sh && .venv/bin/python -m bench.soak $(ARGS)

review: ## Start the staff review tool on localhost:8081 (REVIEW_PORT); needs an account
	@source scripts/env.sh && .venv/bin/python -m review.server

review-user: ## Create a staff account for the review tool: make review-user NAME=anna
	@.venv/bin/python -m review.users add $(NAME)

retention: ## Delete conversations inactive for DAYS days (default 90) from the tracker store
	@source scripts/env.sh && .venv/bin/python -m review.retention $(if $(DAYS),--days $(DAYS))

export: ## Export conversations: make export ARGS="--format json --since 2025-01-01 --flag emergency"
	@source scripts/env.sh && .venv/bin/python -m review.export $(ARGS)

clean: ## Remove trained models, test results and runtime data (keeps .venv)
	rm -rf models results var .rasa tests/output
