# The README's commands. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-fast test-clock lint typecheck format check bench bench-profile bench-scale lighthouse audit clean vnu mutation

# The Nu HTML Checker for the HTML validity tests (needs npm to install, Java to run).
VNU_VERSION := 26.9.27
VNU_JAR := .cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Re-install whenever a requirements file changes.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# The demo runs as a clinic group does: one back office for both brands on a host of its
# own (each brand's /admin/ leads there). BACK_OFFICE_HOST= (empty) keeps the admin on
# every brand host instead.
run: export BACK_OFFICE_HOST ?= backoffice.localhost:8000
run: $(VENV)/.runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "Serving on http://ignite.localhost:8000/ , http://kmd.localhost:8000/ (Spanish: /es/) and http://127.0.0.1:8000/ (Ctrl+C stops)."
	@if [ -n "$$BACK_OFFICE_HOST" ]; then echo "Back office for both brands: http://$$BACK_OFFICE_HOST/admin/"; \
	else echo "Back office: /admin/ on any of them"; fi
	$(BIN)/python manage.py runserver 127.0.0.1:8000

vnu:
	@if [ ! -f $(VNU_JAR) ]; then \
	  if command -v npm >/dev/null 2>&1; then \
	    npm install --silent --no-audit --no-fund --prefix .cache/vnu vnu-jar@$(VNU_VERSION) \
	      || echo "vnu-jar could not be installed: the HTML validity test will be skipped"; \
	  else echo "npm not found: the HTML validity test will be skipped"; fi; \
	fi

# The whole suite: everything but real servers, browsers and builds on both cores, then
# those (marked slow) one at a time, as they start servers of their own.
test: $(VENV)/.dev vnu
	$(BIN)/pytest -m "not slow" -n 2 -q
	$(BIN)/pytest -m slow

# The edit loop: everything but real servers, browsers and builds, on both cores. Its
# migrated test databases are kept between runs (--reuse-db; in memory where the
# machine has /dev/shm): a new migration is applied to them, but after editing an
# existing one run `make test-fast FRESH=1` to build them again.
TEST_DB_DIR := $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo $(CURDIR)/.cache)
TEST_DB_FILE := $(TEST_DB_DIR)/clinic-portal-$(shell printf '%s' "$(CURDIR)" | cksum | cut -d' ' -f1).sqlite3
test-fast: $(VENV)/.dev
	@mkdir -p $(TEST_DB_DIR)
	TEST_DATABASE_FILE=$(TEST_DB_FILE) $(BIN)/pytest -m "not slow" -n 2 -q $(if $(FRESH),--create-db,--reuse-db)

# The date-dependent tests at another moment (tests/clock.py; README "Tests on any
# day"): the fast suite and the browser journeys with the whole run's clock moved.
CLOCK ?= rotating
test-clock: $(VENV)/.dev
	$(BIN)/pytest -m "not slow" -n 2 -q --clock=$(CLOCK)
	$(BIN)/pytest tests/e2e/test_journeys.py -q --clock=$(CLOCK)

# The import contracts (pyproject.toml, import-linter): each floor imports only the ones
# below it (demo > apps > outbox > clinic > portal), and no app imports another's views.
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The suite's mutation score on clinic/hours.py, appointments/booking.py, clinic/scoped.py
# and portal/retirement.py (mutmut, configured in pyproject.toml; figures in
# docs/testing.md). Long: run it on its own, one mutant at a time (a shared SQLite test
# database). `make mutation ONLY="clinic.hours*"` for one module.
ONLY ?=
mutation: $(VENV)/.dev
	rm -rf mutants
	TEST_DATABASE_FILE=/dev/shm/clinic-portal-mutants.sqlite3 HYPOTHESIS_PROFILE=mutation \
		TEST_REDIS_URL=redis://127.0.0.1:6379/6 \
		$(BIN)/mutmut run --max-children 1 $(ONLY)
	$(BIN)/mutmut results

# Types checked by mypy with django-stubs (configured in pyproject.toml); must be 0 errors.
typecheck: $(VENV)/.dev
	$(BIN)/mypy

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: $(VENV)/.dev
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# Known vulnerabilities in every installed package (needs network access to OSV; fails
# loudly, never "all clear", when it cannot check). See docs/security.md.
audit: $(VENV)/.dev
	VENV_BIN=$(BIN) bin/audit-dependencies

bench: $(VENV)/.dev
	$(BIN)/python bench/run.py

# Where each public page's time goes with nothing cached (cProfile), recorded in
# bench/RESULTS.md.
bench-profile: $(VENV)/.dev
	$(BIN)/python bench/profile_pages.py

# Lighthouse (npm, installed into .cache/lighthouse) on a phone: home, article, treatment
# and form of both brands, median of 3; fails under 98 or with any layout shift.
lighthouse: $(VENV)/.dev
	$(BIN)/python bench/lighthouse.py

# A clinic group's scale on PostgreSQL, recorded in bench/RESULTS.md: the inbox with a
# million requests, and the public pages of 50 brands with 10,000 articles each against
# 100 each. BENCH_POSTGRES picks the server; the bench makes databases of its own there.
BENCH_POSTGRES ?= postgres://root@127.0.0.1:5432
bench-scale: $(VENV)/.dev
	$(BIN)/python bench/inbox_scale.py $(BENCH_POSTGRES)/portal_inbox
	$(BIN)/python bench/public_scale.py $(BENCH_POSTGRES)

clean:
	rm -rf $(VENV) staticfiles .cache
