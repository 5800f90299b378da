# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test browser migrate seed serve check clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

# Chromium comes from Debian's packages (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium'" >&2; exit 1; fi; }

migrate: install
	DEBUG=true $(PY) manage.py migrate --noinput

# Sandbox mode only (no STACKONE_API_KEY): seeds the sandbox once and creates demo / demo.
seed: migrate
	DEBUG=true $(PY) manage.py sandbox_seed
	DEBUG=true $(PY) manage.py demo_user

run: seed
	@echo ""
	@echo "  StackOne Candidate Admin: http://$(HOST):$(PORT)/"
	@if [ -z "$$STACKONE_API_KEY" ]; then echo "  Sandbox mode. Sign in as demo / demo"; fi
	@echo ""
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

test: install browser node_modules/axe-core/axe.min.js
	$(PY) -m pytest

check: install
	$(PY) manage.py check

clean:
	rm -rf $(VENV) node_modules staticfiles
