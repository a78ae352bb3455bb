# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
PORT ?= 8000
# The address in emailed links; follows PORT unless given (SITE_URL=... make run). A SITE_URL
# in .env still wins for web, worker and beat (honcho reads .env over the environment).
SITE_URL ?= http://127.0.0.1:$(PORT)
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: install run test test-fast lint format bench clean

$(BIN)/uv:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: $(BIN)/uv pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --quiet
	touch $@

install: $(VENV)/.synced

run: export PORT := $(PORT)
# The web server's port for the Procfile's web and hello (honcho gives each process its own
# PORT, and takes one from .env over ours).
run: export WEB_PORT := $(PORT)
run: export SITE_URL := $(SITE_URL)
run: install
	$(BIN)/python scripts/testenv.py --packages-only
	mkdir -p var/celery/queue var/celery/processed var/media
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/honcho start --procfile Procfile

test: lint
	$(BIN)/python scripts/testenv.py pytest

test-fast: lint
	$(BIN)/python scripts/testenv.py --no-browser pytest -m "not e2e and not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python scripts/testenv.py --no-browser --bench python bench/run.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
