# Two commands matter: `make run` (serve a demo workshop) and `make test` (the whole suite).
# Each creates .venv when missing and installs what it needs; re-running is cheap.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck check bench bench-peers clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,dev]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/board migrate
	$(BIN)/board demo --base-url http://$(HOST):$(PORT)
	$(BIN)/board serve --host $(HOST) --port $(PORT)

SOURCES := $(wildcard board tests bench)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/ruff format --check $(SOURCES)

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -q --durations=25

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.run

# Our server beside y-websocket (npm, installed under artifacts/) and pycrdt-websocket (the
# bench-peers extra): bench/README.md, "Public peers, side by side".
$(VENV)/.installed-bench-peers: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,dev,bench-peers]'
	touch $@ $(VENV)/.installed-test $(VENV)/.installed-run

bench-peers: $(VENV)/.installed-bench-peers
	$(BIN)/python -m bench.peers.run

clean:
	rm -rf $(VENV) var artifacts .mypy_cache .ruff_cache .pytest_cache
