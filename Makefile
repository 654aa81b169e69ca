# The commands README.md shows. Each sets up what it needs first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PORT ?= 5000

.PHONY: run test demo bench format assets clean

# The virtual environment, rebuilt when the pinned requirements change.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed
	$(FLASK) db upgrade
	$(FLASK) seed-reference
	$(FLASK) setup-link --base-url http://127.0.0.1:$(PORT)
	@# The web server and the background worker together; Ctrl-C stops both. Both run in the
	@# background, where a shell has them ignore Ctrl-C: the trap passes it on.
	@trap 'kill $$web $$worker 2>/dev/null; wait' INT TERM EXIT; \
	$(FLASK) worker & worker=$$!; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT) & web=$$!; \
	wait $$web

# A separate database filled with a year of demonstration data, then served.
DEMO := FLASK_DATABASE_URL=sqlite:///$(CURDIR)/instance/demo.sqlite
demo: $(VENV)/.installed
	rm -f instance/demo.sqlite instance/demo.sqlite-wal instance/demo.sqlite-shm
	$(DEMO) $(FLASK) db upgrade
	$(DEMO) $(FLASK) demo --base-url http://127.0.0.1:$(PORT)
	$(DEMO) $(FLASK) run --host 127.0.0.1 --port $(PORT)

# Performance figures (printed, not asserted): see bench/run.py.
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

# Lint, then the whole suite on SQLite; with TEST_DATABASE_URL set, on PostgreSQL too, at the
# same time (see scripts/test-both-databases.sh).
test: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if [ -z "$$TEST_DATABASE_URL" ]; then $(BIN)/pytest; \
	else bash scripts/test-both-databases.sh $(BIN)/pytest; fi

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Rebuilds hubsurvey/static/vendor from the npm registry (needs Node; `make run` does not).
assets:
	bash scripts/build-assets.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
