# OCRN attachment assistant. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
# Quiet Rasa command lines (launcher/settings.py sets the same for the servers it starts).
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help setup setup-test spacy-model lock train run shell web status validate test test-fast \
        lint content bench bench-review quality heldout soak review review-user retention export \
        export-training export-stories erase audit-verify new-topic check-content clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

run: train ## Set up, train if needed, start the bot, the widget page (and review tool) on localhost; Ctrl-C stops
	@$(PY) -m launcher run

test: train setup-test ## Every test: lint, data validation, story tests, pytest (incl. browser and scale-out)
	@bash scripts/test.sh

test-fast: setup-test ## Unit tests only (no servers, no browser, no model), under a minute
	@$(PY) -m pytest -m unit -q

lint: setup-test ## ruff over the Python code (ruff.toml)
	@.venv/bin/ruff check .

setup: ## What running needs: .venv from requirements.lock, the Dutch spaCy pipeline, the widget's npm packages
	@bash scripts/setup.sh

setup-test: setup ## What the tests need on top: requirements-dev.lock, Chromium, PostgreSQL, Redis, nginx
	@bash scripts/setup.sh --test

spacy-model: ## Try again to install nl_core_news_sm (needs internet)
	@bash scripts/setup.sh --retry-download

lock: ## Re-lock every package with hashes after editing requirements*.txt
	@bash scripts/lock.sh

train: setup ## Train the model if data, config or pipeline changed
	@bash scripts/train.sh

shell: train ## Chat with the bot in the terminal
	@$(PY) -m launcher shell

web: setup ## Serve only the widget page on localhost:8080, for a Rasa server that already runs
	@$(PY) -m launcher web

status: ## Which spaCy pipeline is active, and are the servers up?
	@$(PY) -m launcher status

validate: setup ## Check the training data and domain
	@bash scripts/validate.sh

content: setup ## Regenerate docs/content.md (every answer with its source and readability)
	@$(PY) -m content.report

new-topic: setup ## Scaffold a topic: make new-topic NAME=ask_<question>, then follow the checklist it prints
	@$(PY) -m content.new_topic $(NAME)

check-content: train setup-test ## After a content change: validate, story tests, fast tests, held-out and conversation gates, ~10 min
	@bash scripts/check_content.sh

bench: train setup-test ## Benchmarks and NLU evaluation into docs/benchmarks.md, ~20 min (ARGS="--quick" for a smoke run)
	@$(PY) -m bench.run $(ARGS)

bench-review: setup-test ## Staff tool at 100 000 conversations (SQLite, PostgreSQL) into docs/benchmarks.md, ~30 min
	@$(PY) -m bench.review_scale $(ARGS)

quality: train ## Held-out accuracy per category, crisis recall, false alarms, redaction recall into docs/benchmarks.md, ~2 min
	@$(PY) -m bench.quality $(ARGS)

heldout: train ## Held-out NLU accuracy per category, changes since the recorded run (ARGS="--record" to re-record)
	@$(PY) -m bench.heldout $(ARGS)

soak: train setup-test ## Soak test: 10 000 fuzzed messages against servers it starts (ARGS="--messages 2000")
	@$(PY) -m bench.soak $(ARGS)

review: setup ## Start only the staff review tool on localhost:8081 (REVIEW_PORT); needs an account
	@$(PY) -m launcher review

review-user: setup ## Create a staff account: make review-user NAME=anna [ROLE=beheerder]
	@$(PY) -m review.users add $(NAME) $(if $(ROLE),--role $(ROLE))

retention: setup ## Delete conversations inactive for DAYS days (default 90) from the tracker store
	@$(PY) -m review.retention $(if $(DAYS),--days $(DAYS))

export: setup ## Export conversations: make export ARGS="--format json --since 2025-01-01 --flag emergency"
	@$(PY) -m review.export $(ARGS)

export-training: setup ## Staff corrections not exported yet, as Rasa NLU YAML under var/exports/ (to review)
	@$(PY) -m review.training $(ARGS)

export-stories: setup ## Conversations tagged "Goed voorbeeld" (or SENDER=id) as test stories under var/exports/
	@$(PY) -m review.stories $(if $(SENDER),--sender $(SENDER)) $(ARGS)

erase: setup ## Erase one conversation on a parent's request: make erase SENDER=<id> (asks to confirm)
	@$(PY) -m review.erase $(SENDER)

audit-verify: setup ## Check the access log's hash chain (NEN 7513); exits non-zero when an entry was changed or removed
	@$(PY) -m review.audit verify

clean: ## Remove trained models, test results and runtime data (keeps .venv)
	rm -rf models results var .rasa tests/output
