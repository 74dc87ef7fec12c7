# Every target sets up what it needs, idempotently: a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HTMX_VERSION := 2.0.11
AXE_VERSION := 4.14.1
SWAGGER_UI_VERSION := 5.35.0
PG_TEST_URL := postgresql://postgres@127.0.0.1:5432/test

.PHONY: run test test-postgres lint browser deploy-tools messages htmx axe swagger-ui benchmark clean

$(BIN)/tracker: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## Start the tracker at http://127.0.0.1:8000 (SQLite in data/tracker.db, migrated and seeded).
run: $(BIN)/tracker
	$(BIN)/tracker serve --host 127.0.0.1 --port 8000

## Run the whole test suite (SQLite; set TRACKER_TEST_DATABASE_URL for PostgreSQL).
test: $(BIN)/tracker browser deploy-tools
	$(BIN)/ruff check tracker tests migrations/env.py
	$(BIN)/pytest

## The same suite against the local PostgreSQL server.
test-postgres: $(BIN)/tracker browser deploy-tools
	TRACKER_TEST_DATABASE_URL=$(PG_TEST_URL) $(BIN)/pytest

## Lint and format check.
lint: $(BIN)/tracker
	$(BIN)/ruff check tracker tests migrations/env.py
	$(BIN)/ruff format --check tracker tests migrations/env.py

## Debian's Chromium for the real-browser tests (Playwright drives it; nothing is downloaded by Playwright).
browser:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

## Debian's nginx and systemd-analyze for the deployment tests (deploy/'s site and units, run and checked).
deploy-tools:
	@test -x /usr/sbin/nginx && command -v systemd-analyze >/dev/null || { \
	  echo "Installing Debian's nginx and systemd for the deployment tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx systemd >/dev/null; }

## Progress pages against a bare endpoint, with wrk (Debian's package; installed here if missing). ~10 minutes.
benchmark: $(BIN)/tracker
	@command -v wrk >/dev/null || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python benchmarks/pages.py

## Extract every translatable string and merge it into the en and es catalogs.
messages: $(BIN)/tracker
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k Nn_:1,2 --ignore-dirs ".* .venv" --no-location --sort-output --project mou-tracker \
	  -o tracker/translations/messages.pot .
	$(BIN)/pybabel update -i tracker/translations/messages.pot -d tracker/translations --no-fuzzy-matching --ignore-obsolete

## Refresh the vendored htmx from the npm registry (pinned above).
htmx:
	cd $$(mktemp -d) && npm pack --silent htmx.org@$(HTMX_VERSION) && tar xzf htmx.org-$(HTMX_VERSION).tgz && \
	  cp package/dist/htmx.min.js $(CURDIR)/static/vendor/htmx.min.js && cp package/LICENSE $(CURDIR)/static/vendor/htmx.LICENSE

## Refresh the vendored axe-core the accessibility tests inject (pinned above).
axe:
	cd $$(mktemp -d) && npm pack --silent axe-core@$(AXE_VERSION) && tar xzf axe-core-$(AXE_VERSION).tgz && \
	  cp package/axe.min.js $(CURDIR)/tests/vendor/axe.min.js && cp package/LICENSE $(CURDIR)/tests/vendor/axe-core.LICENSE

## Refresh the vendored Swagger UI of /api/docs (pinned above), served from the tracker's own origin.
swagger-ui:
	cd $$(mktemp -d) && npm pack --silent swagger-ui-dist@$(SWAGGER_UI_VERSION) && tar xzf swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz && \
	  mkdir -p $(CURDIR)/static/vendor/swagger-ui && \
	  cp package/swagger-ui-bundle.js package/swagger-ui.css package/LICENSE package/NOTICE \
	    package/swagger-ui-bundle.js.LICENSE.txt $(CURDIR)/static/vendor/swagger-ui/

clean:
	rm -rf $(VENV) .pytest_cache
