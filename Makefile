# Two entry points: `make run` (the bot) and `make test` (the whole suite).
# Both create .venv on first use and install the project with its dev extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test bench demo clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

## make run: start the bot (console when no chat token is configured). Extra arguments: make run ARGS="--config sobria.toml"
run: $(STAMP)
	@$(BIN)/sobria run $(ARGS)

## make test: the whole suite
test: $(STAMP)
	@$(BIN)/python -m pytest -q $(PYTEST_ARGS)

## make bench: the benchmarks, each prints its figures (about twenty minutes in all, most of it generating data)
bench: $(STAMP)
	@$(BIN)/python benchmarks/rct_accuracy.py
	@$(BIN)/python benchmarks/engine_latency.py
	@$(BIN)/python benchmarks/slack_http_overhead.py
	@$(BIN)/python benchmarks/summaries_at_scale.py

## make demo: eight weeks of a 12-person team in a temporary data directory
demo: $(STAMP)
	@$(BIN)/sobria demo $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info
