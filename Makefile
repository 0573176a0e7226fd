# fincoach — `make run` serves the app with embedded defaults; `make test` runs the whole suite.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Parallel test workers (pytest-xdist); browser tests run in their own, serial invocation.
TEST_WORKERS ?= 2

.PHONY: run serve install migrate demo test test-unit test-browser lint format bench clean worker beat

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py setup_periodic_tasks

run: demo
	@echo "fincoach is starting on http://$(HOST):$(PORT)/ — log in with the demo login printed above."
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) fincoach.asgi:application

serve: install
	$(VENV)/bin/daphne -b $(HOST) -p $(PORT) fincoach.asgi:application

worker: install
	$(VENV)/bin/celery -A fincoach worker --loglevel=INFO

beat: install
	$(VENV)/bin/celery -A fincoach beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler

test: install
	FINCOACH_TESTING=1 $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -q
	FINCOACH_TESTING=1 $(PY) -m pytest -m browser -p no:xdist -q

test-unit: install
	FINCOACH_TESTING=1 $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile -q

test-browser: install
	FINCOACH_TESTING=1 $(PY) -m pytest -m browser -p no:xdist -q

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install
	for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) var staticfiles
