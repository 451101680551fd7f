# The two commands a newcomer needs: `make run` and `make test`.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

export DJANGO_SETTINGS_MODULE ?= involvement.settings.development

.PHONY: run test install lint check clean demo-code bench bench-report report-images

## run: set everything up, load demo data, start the web server, worker and scheduler
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --port $(PORT)
	PORT=$(PORT) PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

## test: install what is missing and run every test (in TEST_PROCESSES processes, default 2)
# --dist loadgroup keeps each browser and integration file in one process (see conftest.py);
# --no-loadscope-reorder keeps pytest-django's order (tests that empty the database come last).
TEST_PROCESSES ?= 2
test: install
	DJANGO_SETTINGS_MODULE=involvement.settings.test $(BIN)/pytest --numprocesses $(TEST_PROCESSES) --dist loadgroup --no-loadscope-reorder

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

## lint: ruff over the whole project
lint: install
	$(BIN)/ruff check .

## check: the production checks CI runs besides the tests
check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	SECRET_KEY=check-only-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	MFA_ENCRYPTION_KEY=$$($(BIN)/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())") \
	DATABASE_URL=sqlite:///var/check.sqlite3 REDIS_URL=redis://127.0.0.1:6379/0 ALLOWED_HOSTS=portal.example.nhs.uk \
	PORTAL_BASE_URL=https://portal.example.nhs.uk \
	DJANGO_SETTINGS_MODULE=involvement.settings.production \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

## bench: requests a second for a tiny page with and without the middleware (needs PostgreSQL and Redis; see bench/request_cost.py)
bench: install
	$(BIN)/python -m bench.request_cost

## bench-report: time the yearly involvement report and count its queries at two sizes (see bench/period_report.py)
bench-report: install
	$(BIN)/python -m bench.period_report

clean:
	rm -rf var/ .pytest_cache

## demo-code: the current two-step code for the demo coordinator and commissioner
demo-code:
	@$(BIN)/python manage.py demo_code

## report-images: remake the pictures of the reports' first pages shown in the README (needs pdftoppm)
report-images: install
	docs/reports/make-images.sh
