# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# The address the app calls its own sandbox at: HOST, or loopback when HOST is every interface.
SANDBOX_HOST = $(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST))

.PHONY: install run run-env test lint docs browser migrate seed serve release check clean

# The project's dependencies, installed as a plain (not editable) package: it runs from this folder
# and has no package to import, and setuptools' editable install printed an 11-line warning.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[test,lint]"
	touch $(STAMP)

install: $(STAMP)

# Test-only Node packages: axe-core (accessibility checks) and oidc-provider (the real OpenID
# Provider the sign-in tests start on loopback).
node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund --silent
	touch $@

# Chromium comes from Debian's packages (Playwright cannot download its own browser here), and so
# do PostgreSQL and Redis, which the scale-out benchmark's small run in the suite starts itself.
browser:
	@need=""; command -v chromium >/dev/null 2>&1 || need="$$need chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$$need postgresql"; \
	command -v redis-server >/dev/null 2>&1 || need="$$need redis-server"; \
	if [ -n "$$need" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need; \
	  else echo "Missing:$$need. Run 'sudo apt-get install$$need'" >&2; exit 1; fi; fi

migrate: install
	DEBUG=true $(PY) manage.py migrate --noinput

# Sandbox mode only (DEBUG and no STACKONE_API_KEY): seeds the sandbox once and creates demo / demo.
# The app and its sandbox share a random key made on first use (.sandbox-api-key, never shown).
# Outside sandbox mode (a key in the environment or .env) the sandbox app and its commands are absent.
seed: migrate
	@if DEBUG=true $(PY) manage.py help --commands | grep -qx sandbox_seed; then \
	  DEBUG=true $(PY) manage.py sandbox_seed && DEBUG=true $(PY) manage.py demo_user; fi

# What `make run` chose, for commands typed in another terminal (manage.py reads it in a shell that
# sets neither SECRET_KEY nor DEBUG): DEBUG, the sandbox on this PORT, a DATABASE_URL / CACHE_URL
# given here. Never a key. docs/getting-started.md, "Commands in another terminal".
RUN_ENV ?= .run.env
run-env:
	@umask 077; { echo "# Written by make run (HOST=$(HOST) PORT=$(PORT)); read by manage.py. Delete it freely."; \
	  echo "DEBUG=true"; \
	  if [ -n "$$STACKONE_BASE_URL" ]; then echo "STACKONE_BASE_URL=$$STACKONE_BASE_URL"; \
	  elif [ -z "$$STACKONE_API_KEY" ]; then echo "STACKONE_BASE_URL=http://$(SANDBOX_HOST):$(PORT)/sandbox"; fi; \
	  if [ -n "$$DATABASE_URL" ]; then echo "DATABASE_URL=$$DATABASE_URL"; fi; \
	  if [ -n "$$CACHE_URL" ]; then echo "CACHE_URL=$$CACHE_URL"; fi; } > $(RUN_ENV)

run: seed run-env
	@echo ""
	@echo "  StackOne Candidate Admin: http://$(HOST):$(PORT)/"
	@if [ -z "$$STACKONE_API_KEY" ]; then echo "  Sandbox mode. Sign in as demo / demo"; fi
	@echo ""
	@# In sandbox mode the app calls its own /sandbox/ API: point it at the port we serve on.
	@if [ -z "$$STACKONE_API_KEY" ] && [ -z "$$STACKONE_BASE_URL" ]; then \
	  export STACKONE_BASE_URL=http://$(SANDBOX_HOST):$(PORT)/sandbox; fi; \
	DEBUG=true exec $(PY) manage.py runserver $(HOST):$(PORT)

test: install browser node_modules/.installed
	$(PY) -m pytest

# Production-style server: gunicorn with several worker processes, each with threads (in sandbox
# mode the app calls its own /sandbox/ API over HTTP, so a request must never wait on its own
# worker), and static files hashed by collectstatic and served by whitenoise with long cache
# headers. It reads the same environment variables as `make run` (SECRET_KEY is required here, and
# STACKONE_API_KEY, or STACKONE_SANDBOX=true for a trial against the sandbox);
# docs/operations/configuration.md lists them. Background jobs run in other processes: manage.py
# worker and manage.py scheduler. Migrations are not run here: `make release` is the release step,
# once per deploy, before the new version's servers start (hosts that start together never migrate
# at the same time).
# The app logs one line per request itself (with its request id, without the query string), so
# gunicorn's access log, which would write the query string (a search's terms), stays off.
# PROMETHEUS_MULTIPROC_DIR, when set, is created (docs/operations/monitoring.md says when to empty it).
WORKERS ?= 3
THREADS ?= 4
serve: install
	@if [ -n "$$PROMETHEUS_MULTIPROC_DIR" ]; then mkdir -p "$$PROMETHEUS_MULTIPROC_DIR"; fi
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@if [ "$$STACKONE_SANDBOX" = true ] && [ -z "$$STACKONE_BASE_URL" ]; then \
	  export STACKONE_BASE_URL=http://$(SANDBOX_HOST):$(PORT)/sandbox; fi; \
	exec $(PY) -m gunicorn stackone_admin.wsgi:application --bind $(HOST):$(PORT) \
	  --workers $(WORKERS) --threads $(THREADS) --timeout 120 --graceful-timeout 30 \
	  --no-control-socket $(GUNICORN_ARGS)

# The release step of a deploy, once (not per host): the database migrated, and in a sandbox trial
# the sandbox seeded. Same environment as `make serve`.
release: install
	$(PY) manage.py migrate --noinput
	@if [ "$$STACKONE_SANDBOX" = true ]; then $(PY) manage.py sandbox_seed; fi

# ruff (pyproject's config) over the product code, its tests and benchmarks, mypy with django-stubs
# over the product code, and import-linter's layer contracts (pyproject's [tool.importlinter]);
# non-zero on any finding.
lint: install
	$(PY) -m ruff check candidates sandbox stackone_admin tests benchmarks manage.py
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

check: install
	$(PY) manage.py check

# The documentation site (docs/, mkdocs.yml): MkDocs Material from the `docs` extra, built strictly
# (a broken link or anchor fails) into site/. Nothing is fetched at build time but the extra itself.
DOCS_STAMP := $(VENV)/.docs-installed
$(DOCS_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet ".[docs]"
	touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	$(PY) -m mkdocs build --strict --site-dir site

# Benchmarks (docs/benchmarks.md): they print figures; nothing here is a pass/fail test.
# BENCH_ARGS passes the script's options; DATABASE_URL=postgres://… adds PostgreSQL to bench-search (after SQLite).
.PHONY: bench-overhead bench-edit-cost bench-profile bench-load bench-bulk bench-sandbox bench-pages \
	bench-bulk-command bench-search bench-sync bench-health bench-health-fix bench-metrics bench-scale
bench-overhead: install
	$(PY) benchmarks/overhead.py $(BENCH_ARGS)

bench-edit-cost: install
	$(PY) benchmarks/edit_page_cost.py $(BENCH_ARGS)

bench-profile: install
	$(PY) benchmarks/profile_page.py $(BENCH_ARGS)

bench-load: install
	$(PY) benchmarks/load.py $(BENCH_ARGS)

bench-bulk: install
	$(PY) benchmarks/bulk_benchmark.py $(BENCH_ARGS)

bench-sandbox: install
	$(PY) benchmarks/sandbox_population.py $(BENCH_ARGS)

bench-pages: install
	$(PY) benchmarks/page_weight.py $(BENCH_ARGS)

bench-bulk-command: install
	$(PY) benchmarks/bulk_command.py $(BENCH_ARGS)

bench-search: install
	$(PY) benchmarks/directory_search.py $(BENCH_ARGS)

bench-sync: install
	$(PY) benchmarks/directory_sync.py $(BENCH_ARGS)

bench-health: install
	$(PY) benchmarks/health_benchmark.py $(BENCH_ARGS)

bench-health-fix: install
	$(PY) benchmarks/health_fix_benchmark.py $(BENCH_ARGS)

bench-metrics: install
	$(PY) benchmarks/metrics_scrape.py $(BENCH_ARGS)

bench-scale: install
	$(PY) benchmarks/scale_out.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles site build *.egg-info $(RUN_ENV)
