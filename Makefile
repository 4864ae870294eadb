# Werkstadt: `make run` serves the demo, `make test` runs every test. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install test-install chromium lint messages migration benchmarks clean

$(BIN)/python:
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

run: install
	$(BIN)/werkstadt db upgrade
	$(BIN)/werkstadt demo --if-empty
	$(BIN)/werkstadt serve

# Debian's chromium for the browser tests (Playwright cannot download its own browser here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	  else echo "chromium fehlt und kann ohne Root-Rechte nicht installiert werden: apt-get install chromium" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

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
