# The two commands in the README:
#   make run    set up everything (virtualenv, dependencies, assets, database, demo data) and run the site
#   make test   set up what the tests need (including Chromium) and run the whole test suite
# Everything is idempotent: a second run only redoes what changed.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := .make
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup assets browser lint format ci check-deploy clean bench

run: setup assets
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true $(BIN)/python manage.py seed_demo
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup assets browser
	$(BIN)/pytest $(PYTEST_ARGS)

setup: $(STAMP)/venv

$(STAMP)/venv: requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@mkdir -p $(STAMP) && touch $@

assets: $(STAMP)/assets

$(STAMP)/assets: package.json package-lock.json $(wildcard static/scss/*.scss)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	@mkdir -p $(STAMP) && touch $@

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Chromium for the browser tests (needs root)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# County-scale benchmarks on PostgreSQL (see bench/README.md); BENCH_ARGS=--small for a quick run.
bench: setup assets
	bench/run $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) node_modules $(STAMP) static/dist staticfiles
