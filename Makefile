# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
VNU_JAR := $(TOOLS)/node_modules/vnu-jar/build/dist/vnu.jar
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export FLASK_APP := wsgi

.PHONY: run serve test test-sqlite test-postgresql postgresql-server install install-postgresql \
	lint bench-pages clean

# Debian ships venv's ensurepip in python3-venv, which a fresh system may lack.
$(BIN)/python:
	$(PYTHON) -c 'import ensurepip' 2>/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-postgresql: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[postgresql]'
	touch $(VENV)/.installed $@

# The PostgreSQL driver is an extra: installed by `make install-postgresql`, and by `make install`,
# `run` and `serve` when HLHR_DATABASE_URL names PostgreSQL.
INSTALLED := $(VENV)/.installed \
	$(if $(filter postgresql%,$(HLHR_DATABASE_URL)),$(VENV)/.installed-postgresql)

install: $(INSTALLED)

install-postgresql: $(VENV)/.installed-postgresql

instance/config.py: | $(INSTALLED)
	$(BIN)/python -m hlhr.config

## run: install, create the database, demo site and search index, then serve on 127.0.0.1:5000
run: $(INSTALLED) instance/config.py
	$(BIN)/flask init-db
	$(BIN)/flask demo
	$(BIN)/flask search rebuild
	@echo
	@echo "  HLHR is starting at http://127.0.0.1:5000/"
	@echo "  Staff sign in at http://127.0.0.1:5000/editor/login (the password is printed above on the first run)"
	@echo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

## serve: the production setup locally: migrate, build the search index when there is none,
## then gunicorn with gunicorn.conf.py on 127.0.0.1:8000
serve: $(INSTALLED) instance/config.py
	$(BIN)/flask init-db
	$(BIN)/flask search stats >/dev/null 2>&1 || $(BIN)/flask search rebuild
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

TEST_TOOLS := $(VENV)/.installed-test /usr/bin/chromium $(VNU_JAR)
TEST_ENV := HLHR_VNU_JAR=$(abspath $(VNU_JAR))
PYTEST := $(BIN)/python -m pytest $(PYTEST_ARGS)

## test: install test tools (Debian's chromium and postgresql, Java for the HTML validator),
## run every test on SQLite, then again on a throwaway PostgreSQL cluster
test: test-sqlite test-postgresql

test-sqlite: $(TEST_TOOLS)
	$(TEST_ENV) $(PYTEST)

## test-postgresql: the suite on a throwaway cluster (127.0.0.1, a temporary directory)
test-postgresql: $(TEST_TOOLS) postgresql-server
	$(TEST_ENV) tests/with_postgresql.sh $(PYTEST)

# Debian keeps the server binaries in /usr/lib/postgresql/<version>/bin, off PATH.
postgresql-server:
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql; }

/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

$(VNU_JAR):
	command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq default-jre-headless; }
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq npm; }
	mkdir -p $(TOOLS)
	npm install --silent --no-audit --no-fund --prefix $(TOOLS) vnu-jar@26.9.27
	test -f $@

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## bench-pages: seed 10,000 articles and time the reader pages (prints a table)
bench-pages: $(VENV)/.installed-test
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache *.egg-info
