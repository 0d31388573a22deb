# The two commands: `make run` and `make test`. Each creates .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
#: Exact versions of every dependency, the dev and production extras included.
LOCK := requirements.lock
export FLASK_APP := interviewer
# Playwright drives the system's Chromium; it must never download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test lint format migrate seed bench lock clean

$(STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	@# setuptools warns on every editable install that a folder named like the package may
	@# shadow it; here that folder is the package itself, so the notice is noise.
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Refresh the lock file from pyproject.toml: the newest releases its ranges allow.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --upgrade --strip-extras --no-emit-index-url --no-emit-find-links \
		--extra dev --extra prod --extra postgres --extra redis --output-file $(LOCK) pyproject.toml

migrate: $(STAMP)
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask seed-demo

run: seed
	@echo "Serving on http://127.0.0.1:5000 (Ctrl+C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

lint: $(STAMP)
	$(BIN)/ruff check interviewer tests config.py migrations
	$(BIN)/ruff format --check interviewer tests config.py migrations

format: $(STAMP)
	$(BIN)/ruff format interviewer tests config.py migrations
	$(BIN)/ruff check --fix interviewer tests config.py migrations

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The load bench (README, Benchmarks): PostgreSQL with BENCH_DATABASE_URL, else SQLite.
bench: $(STAMP)
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
