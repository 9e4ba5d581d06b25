# Two commands matter: `make run` (serve a demo workshop) and `make test` (the whole suite).
# Both install exactly the versions in uv.lock (hashes checked) into .venv; re-running is cheap.
# `make lock` refreshes uv.lock to the newest versions pyproject.toml allows; `make test`
# on the refreshed lock is how an upgrade is checked.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .venv-uv
UV := $(TOOLS)/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000

# uv uses the machine's Python and never downloads one; --locked refuses a uv.lock that no
# longer matches pyproject.toml instead of quietly re-resolving it.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
SYNC := $(UV) sync --locked --python $(PYTHON)

.PHONY: run test lint typecheck check lock drift bench bench-peers screenshots clean

# uv itself comes from deploy/uv.txt: one pinned version, its hashes checked by pip.
$(UV): deploy/uv.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q --require-hashes --no-deps -r deploy/uv.txt
	touch $@

$(VENV)/.installed-run: pyproject.toml uv.lock | $(UV)
	$(SYNC) --inexact -q
	touch $@

$(VENV)/.installed-test: pyproject.toml uv.lock | $(UV)
	$(SYNC) --inexact -q --extra test --extra dev
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/board migrate
	$(BIN)/board demo --base-url http://$(HOST):$(PORT)
	$(BIN)/board serve --host $(HOST) --port $(PORT)

SOURCES := $(wildcard board tests bench)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -q --durations=25

# The newest versions pyproject.toml allows, written into uv.lock; then run `make test`.
lock: | $(UV)
	$(UV) lock --upgrade --python $(PYTHON)

# What the next `make lock` would bring, tried in .venv-latest without touching uv.lock:
# type check, core and contract tests. Prints a warning; never fails (the locked suite is the gate).
drift: | $(UV)
	UV=$(UV) PYTHON=$(PYTHON) bash .ci/drift

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.run

# Our server beside y-websocket (npm, installed under artifacts/) and pycrdt-websocket (the
# bench-peers extra): bench/README.md, "Public peers, side by side".
$(VENV)/.installed-bench-peers: pyproject.toml uv.lock | $(UV)
	$(SYNC) --inexact -q --extra test --extra dev --extra bench-peers
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-run

bench-peers: $(VENV)/.installed-bench-peers
	$(BIN)/python -m bench.run --side-by-side

# The pictures in docs/ (docs/img/), made by the browser tests: tests/browser/docs_images.py.
screenshots: $(VENV)/.installed-test
	$(BIN)/python -m tests.browser.docs_images

clean:
	rm -rf $(VENV) $(TOOLS) .venv-latest var artifacts .mypy_cache .ruff_cache .pytest_cache
