# gongkai — two commands: `make run` (demo on SQLite) and `make test` (the whole suite).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Two workers: the suite is xdist-safe (each worker has its own test database).
PYTEST_ARGS ?= -n 2
HOST ?= 127.0.0.1
CONSTRAINTS := requirements/constraints.txt

.PHONY: serve fault replica-drill test-shifted run test install install-test system-deps system-deps-test browser node-modules editor editor-check lint typecheck migrations-check pytest demo messages lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	touch $@

install: $(VENV)/.installed system-deps
install-test: $(VENV)/.installed-test system-deps-test browser node-modules

# Debian packages outside pip. Letters render to PDF with WeasyPrint (pango is in the base image)
# in Noto CJK, with BabelStone Han for rare characters in names; the tests read the PDFs back
# with pdftotext/pdffonts (poppler-utils). nginx fronts `make serve` (and a test starts it). As
# root the missing ones are installed; otherwise the command to run is printed.
SYSTEM_PACKAGES := fonts-noto-cjk fonts-babelstone-han tesseract-ocr tesseract-ocr-chi-sim nginx
SYSTEM_PACKAGES_TEST := $(SYSTEM_PACKAGES) poppler-utils faketime
define apt_ensure
	@missing=""; for pkg in $(1); do \
		dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "install ok installed" \
			|| missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian packages:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "Missing Debian packages:$$missing" >&2; \
		echo "Install them as root: apt-get install$$missing (letters render without CJK fonts otherwise; the PDF tests need poppler-utils)" >&2; \
	fi
endef

system-deps:
	$(call apt_ensure,$(SYSTEM_PACKAGES))

system-deps-test:
	$(call apt_ensure,$(SYSTEM_PACKAGES_TEST))

# Debian's Chromium for the Playwright tests (Playwright's own download can't work offline).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Debian's chromium and CJK fonts for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "chromium is missing: install Debian's 'chromium' package (browser tests will fail)"; fi

# axe-core from npm (package-lock.json), injected into pages by the accessibility checks of the
# browser tests (tests/browser/axe.py). `npm ci` runs again when node_modules/axe-core is missing
# or package.json / package-lock.json changed since the last install (the stamp file).
NPM ?= npm
NODE_STAMP := node_modules/.installed
node-modules:
	@if [ -f node_modules/axe-core/axe.min.js ] && [ -d node_modules/@tiptap/core ] && [ -f $(NODE_STAMP) ] \
		&& [ ! package-lock.json -nt $(NODE_STAMP) ] && [ ! package.json -nt $(NODE_STAMP) ]; then :; \
	elif ! command -v $(NPM) >/dev/null 2>&1; then \
		echo "npm is missing: install Node.js 20+ with npm (Debian: apt-get install nodejs npm)." >&2; \
		echo "The browser tests inject axe-core from node_modules/ (make install-test runs npm ci)." >&2; \
		exit 1; \
	else \
		echo "$(NPM) ci (axe-core for the browser tests' accessibility checks)…"; \
		$(NPM) ci --no-audit --no-fund && touch $(NODE_STAMP); \
	fi

# The item editor (TipTap on ProseMirror, from npm) bundled by esbuild into
# gongkai/static/gongkai/editor.js with its packages' licences beside it. The built files are
# committed, so `make run` needs no Node.js; `make test` checks they match a fresh build.
editor: node-modules
	node frontend/build.mjs

editor-check: node-modules
	node frontend/build.mjs --check

run: install
	$(BIN)/gongkai migrate --noinput
	$(BIN)/gongkai demo
	$(BIN)/gongkai runserver $(HOST):$(PORT)

demo: install
	$(BIN)/gongkai migrate --noinput
	$(BIN)/gongkai demo

# The production stack in the foreground (gongkai/core/serve.py): nginx on PORT in front of
# gunicorn, the task worker and the scheduler, production settings, PostgreSQL from DATABASE_URL
# (SQLite is refused). Plain HTTP on this machine, so HTTPS redirects and secure-only cookies are
# off unless set; SECRET_KEY is made once into var/secret_key unless given. Ctrl-C stops it all.
serve: install
	@mkdir -p var && if [ -z "$$SECRET_KEY" ] && [ ! -s var/secret_key ]; then \
		(umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key); fi
	DJANGO_SETTINGS_MODULE=gongkai.config.settings.production \
	SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-0}" \
	SESSION_COOKIE_SECURE="$${SESSION_COOKIE_SECURE:-0}" CSRF_COOKIE_SECURE="$${CSRF_COOKIE_SECURE:-0}" \
	$(BIN)/gongkai serve --host $(HOST) --port $(PORT) --migrate --collectstatic

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with the Django plugin over core and every app's services and selectors ([tool.mypy] in
# pyproject.toml); incremental cache in .mypy_cache.
typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

migrations-check: $(VENV)/.installed-test
	DJANGO_SETTINGS_MODULE=gongkai.config.settings.test $(BIN)/gongkai makemigrations --check --dry-run

pytest: install-test
	$(BIN)/pytest $(PYTEST_ARGS)

test: install-test lint typecheck migrations-check editor-check
	$(BIN)/pytest $(PYTEST_ARGS)

# The suite again under a shifted clock (libfaketime): late at night Shanghai time in a year whose
# holiday schedule is not entered, so a test that passes only "today" fails before it lands.
# Browser tests are left out (Chromium's own clock and timers are not the point here).
SHIFTED_AT ?= 2027-01-04 23:40:00
test-shifted: install-test
	TZ=Asia/Shanghai GONGKAI_SHIFTED_CLOCK=1 faketime -f '@$(SHIFTED_AT)' \
		$(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

# Load with a fault (on demand, not CI): public submissions from several processes while a
# throwaway PostgreSQL cluster on 127.0.0.1:5499 restarts; nothing lost, nothing doubled
# (bench/fault_load.py, bench/README.md). Needs root and Debian's postgresql; FAULT_ARGS passes
# options (--clients, --duration, --quiet-restart …).
FAULT_ARGS ?=
fault: $(VENV)/.installed-test
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e '.[bench]'
	$(BIN)/python bench/fault_load.py $(FAULT_ARGS)

# The replica drill (on demand, not CI): a primary and a streaming replica of their own
# (initdb, pg_basebackup; 127.0.0.1:5441/5442), the portal load read from the replica, the
# replica stopped mid-run and the pages answered from the primary (bench/replica_drill.py,
# bench/README.md). Needs root, Debian's postgresql and wrk; REPLICA_ARGS passes options.
REPLICA_ARGS ?=
replica-drill: $(VENV)/.installed-test
	$(call apt_ensure,postgresql wrk redis-server)
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e '.[bench]'
	$(BIN)/python bench/replica_drill.py $(REPLICA_ARGS)

messages: $(VENV)/.installed-test
	cd gongkai && ../$(BIN)/gongkai makemessages -l zh_Hans --no-obsolete --no-location
	cd gongkai && ../$(BIN)/gongkai compilemessages -l zh_Hans

# Refresh the pinned versions after changing dependencies in pyproject.toml.
lock:
	rm -rf /tmp/gongkai-lock && $(PYTHON) -m venv /tmp/gongkai-lock
	/tmp/gongkai-lock/bin/pip install --quiet '.[test]'
	/tmp/gongkai-lock/bin/pip freeze --exclude gongkai > $(CONSTRAINTS)

clean:
	rm -rf $(VENV) var test-artifacts
