# Chorus: two commands. `make run` starts the bot, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCKS := requirements
# Installs come from the committed locks (every direct and transitive package, with hashes), so
# a new upstream release can't change a fresh machine. `make upgrade` re-locks.
lock_stamp = $(VENV)/.installed-$(1)-$(shell cat $(LOCKS)/$(1).txt pyproject.toml | cksum | cut -d' ' -f1)
STAMP := $(call lock_stamp,main)
DEV_STAMP := $(call lock_stamp,dev)
DEMO_STAMP := $(call lock_stamp,demo)
# Build tools come from the lock too, hence --no-build-isolation for our own package.
INSTALL_LOCK = $(BIN)/python -m pip install --quiet --require-hashes --no-deps -r
INSTALL_SELF = $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	pyproject.toml $(LOCKS)/build.in

.PHONY: run test test-postgres lint typecheck pytest validate bench clean demo screenshots upgrade drift messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python $(LOCKS)/main.txt pyproject.toml
	$(INSTALL_LOCK) $(LOCKS)/main.txt
	$(INSTALL_SELF)
	touch $@

$(DEV_STAMP): $(BIN)/python $(LOCKS)/dev.txt pyproject.toml
	$(INSTALL_LOCK) $(LOCKS)/dev.txt
	$(INSTALL_SELF)
	touch $@ $(STAMP) $(DEMO_STAMP)

run: $(STAMP)
	$(BIN)/python -m bot run

test: $(DEV_STAMP) lint typecheck pytest

# The same tests with the PostgreSQL cases run (none skipped) against a throwaway local server
# on 127.0.0.1 (needs the PostgreSQL server binaries: apt-get install postgresql).
test-postgres: $(DEV_STAMP)
	CHORUS_REQUIRE_POSTGRES=1 bash scripts/pg-throwaway.sh run $(MAKE) test

lint: $(DEV_STAMP)
	$(BIN)/ruff check bot tests $(wildcard bench) scripts
	$(BIN)/ruff format --check bot tests $(wildcard bench) scripts
	$(BIN)/lint-imports
	$(BIN)/pytest -q tests/test_import_cycles.py tests/test_dead_code.py tests/test_docstrings.py

typecheck: $(DEV_STAMP)
	$(BIN)/mypy

# -rs lists every skipped test with its reason (e.g. a program such as FFmpeg not installed).
pytest: $(DEV_STAMP)
	$(BIN)/pytest -q -rs

$(DEMO_STAMP): $(BIN)/python $(LOCKS)/demo.txt pyproject.toml
	$(INSTALL_LOCK) $(LOCKS)/demo.txt
	$(INSTALL_SELF)
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

# Message catalogues: extract every marked text and command text into bot/locales/chorus.pot
# and merge it into each language's chorus.po (then translate what it reports as untranslated).
messages: $(DEV_STAMP)
	$(BIN)/python -m bot.catalogue_tool

validate: $(STAMP)
	$(BIN)/chorus validate activities

# Re-lock every dependency at its newest release allowed by pyproject.toml (needs PyPI), then
# run `make test` to see whether the new releases pass before committing requirements/.
# dev and demo are constrained by main, so tests run on exactly the versions `make run` uses.
upgrade: $(DEV_STAMP)
	$(UV_COMPILE) --extra postgres -o $(LOCKS)/main.txt --upgrade
	$(UV_COMPILE) --extra dev -c $(LOCKS)/main.txt -o $(LOCKS)/dev.txt --upgrade
	$(UV_COMPILE) --extra demo -c $(LOCKS)/main.txt -o $(LOCKS)/demo.txt --upgrade
	@echo "re-locked; review 'git diff $(LOCKS)' and run 'make test'"

# Report only (never fails): the tests against today's newest releases, and what changed.
drift:
	bash .ci/drift

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
