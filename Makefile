# Two entry points: `make run` (the bot) and `make test` (the whole suite).
# Both create .venv on first use and install the project with its dev extras.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

# The French (and any other) catalogues, compiled to .mo at install time (git keeps only the .po).
PO := $(wildcard locales/*/LC_MESSAGES/sobria.po)
MO := $(PO:.po=.mo)

.PHONY: run test bench demo clean i18n-extract i18n-update i18n-compile

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

%.mo: %.po $(STAMP)
	@$(BIN)/pybabel -q compile -D sobria -i $< -o $@

## make run: start the bot (console when no chat token is configured). Extra arguments: make run ARGS="--config sobria.toml"
run: $(STAMP) $(MO)
	@$(BIN)/sobria run $(ARGS)

## make test: the whole suite, on two workers (pytest-xdist): one worker took about ten minutes on a 2-core machine,
## two about seven (2 December 2026). Every test binds its own ports and folders, so they run side by side.
test: $(STAMP) $(MO)
	@$(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)

## make bench: the benchmarks, each prints its figures (about twenty minutes in all, most of it generating data)
bench: $(STAMP) $(MO)
	@$(BIN)/python benchmarks/rct_accuracy.py
	@$(BIN)/python benchmarks/engine_latency.py
	@$(BIN)/python benchmarks/slack_http_overhead.py
	@$(BIN)/python benchmarks/summaries_at_scale.py

## make demo: eight weeks of a 12-person team in a temporary data directory
demo: $(STAMP) $(MO)
	@$(BIN)/sobria demo $(ARGS)

## make i18n-extract: collect every msgid of templates/ into locales/sobria.pot
i18n-extract: $(STAMP)
	@$(BIN)/pybabel -q extract -F babel.cfg --sort-by-file --no-wrap --project=Sobria -c TRANSLATORS: -o locales/sobria.pot .

## make i18n-update: merge the .pot into every catalogue (new msgids arrive empty, changed ones fuzzy)
i18n-update: i18n-extract
	@$(BIN)/pybabel -q update -D sobria -i locales/sobria.pot -d locales --no-wrap --ignore-obsolete

## make i18n-compile: the .mo files the bot reads (make run and make test do it for you)
i18n-compile: $(MO)

clean:
	rm -rf $(VENV) build *.egg-info
