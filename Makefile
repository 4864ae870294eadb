# Werkstadt: `make run` serves the demo, `make test` runs every test. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install test-install chromium apt-install lint messages migration benchmarks clean

# Python 3.11+ with venv (Debian ships venv separately: python3-venv, installed when we may).
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Werkstadt braucht Python 3.11 oder neuer." >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || $(MAKE) --no-print-directory apt-install PACKAGE=python3-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

test-install: $(VENV)/.installed-test chromium

# The scheduler (reminder mails) runs beside the web server and stops with it (Ctrl+C stops both).
run: install
	$(BIN)/werkstadt db upgrade
	$(BIN)/werkstadt demo --if-empty
	$(BIN)/werkstadt scheduler & scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; $(BIN)/werkstadt serve

# Debian's chromium for the browser tests (Playwright cannot download its own browser here).
chromium:
	@command -v chromium >/dev/null 2>&1 || $(MAKE) --no-print-directory apt-install PACKAGE=chromium

# Install a Debian package as root or with password-less sudo; otherwise say what is missing.
apt-install:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	else echo "$(PACKAGE) fehlt; bitte installieren: apt-get install $(PACKAGE)" >&2; exit 1; fi; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(PACKAGE) >/dev/null

lint: $(VENV)/.installed-test
	$(BIN)/lint-imports

test: test-install lint
	$(BIN)/python -m pytest

# Developers: refresh the English catalogue after changing texts, then translate the new entries.
messages: $(VENV)/.installed-test
	$(BIN)/pybabel extract --no-location --sort-output -F babel.cfg -o workspace/locale/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i workspace/locale/messages.pot -d workspace/locale -l en

migration: $(VENV)/.installed
	$(BIN)/alembic revision --autogenerate -m "$(m)"

benchmarks: $(VENV)/.installed-test
	@for script in benchmarks/*.py; do $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) .pytest_cache
