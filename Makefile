# Two commands for a newcomer: `make run` and `make test`. Both create .venv on first use.
# `make demo` tries the bot offline in a browser; `make screenshot` regenerates docs/playground.png.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test lint sandbox demo screenshot

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/python -m bot

test: $(STAMP)
	$(VENV)/bin/ruff check bot tests bench
	$(VENV)/bin/python -m pytest

sandbox: $(STAMP)
	$(VENV)/bin/python -m bot.sandbox

demo: $(STAMP)
	$(VENV)/bin/python -m bot.devtools.demo

screenshot: $(STAMP)
	$(VENV)/bin/python -m bot.devtools.screenshot
