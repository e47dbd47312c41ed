# Chorus: two commands. `make run` starts the bot, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
DEMO_STAMP := $(VENV)/.installed-demo-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint typecheck pytest validate bench clean demo screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot run

test: $(DEV_STAMP) lint typecheck pytest

lint: $(DEV_STAMP)
	$(BIN)/ruff check bot tests $(wildcard bench)
	$(BIN)/ruff format --check bot tests $(wildcard bench)

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

pytest: $(DEV_STAMP)
	$(BIN)/pytest -q

$(DEMO_STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[demo]'
	touch $@ $(STAMP)

# Try Chorus in a browser without Discord: the real bot in a simulated server (data/demo.db).
# Options: make demo DEMO_ARGS="--fresh --seed 3 --port 8765"
demo: $(DEMO_STAMP)
	$(BIN)/python -m bot demo $(DEMO_ARGS)

# The README's pictures: a scripted session photographed with headless Chromium into docs/img/.
screenshots: $(DEMO_STAMP)
	command -v chromium || (apt-get update && apt-get install -y chromium)
	$(BIN)/python -m bot demo --screenshots docs/img

# Speed, cost and memory against their ceilings (a few minutes); reports, never fails on time.
bench: $(DEV_STAMP)
	$(BIN)/python -m bench

validate: $(STAMP)
	$(BIN)/chorus validate activities

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
