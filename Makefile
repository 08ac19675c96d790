# Two commands for a newcomer: `make run` and `make test`. Both create .venv on first use,
# from the hash-pinned lock (requirements-dev.txt). `make lock` re-pins after pyproject.toml
# changes (add --upgrade to PIP_COMPILE_ARGS to take newer releases).
# `make demo` tries the bot offline in a browser; `make screenshot` regenerates docs/playground.png;
# `make chart` draws docs/stats.png (the /stats chart of the sandbox's demo data).
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
PIP_COMPILE_ARGS ?=
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links $(PIP_COMPILE_ARGS)

.PHONY: run test lint lock sandbox demo screenshot chart

$(STAMP): requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes -r requirements-dev.txt
	$(VENV)/bin/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/python -m bot

test: lint
	$(VENV)/bin/python -m pytest

# ruff for style and likely bugs; mypy (strict, on bot/: see [tool.mypy] in pyproject.toml).
lint: $(STAMP)
	$(VENV)/bin/ruff check bot tests bench
	$(VENV)/bin/ruff format --check bot tests bench
	$(VENV)/bin/mypy

# Every dependency, direct and indirect, pinned with hashes, with the build backend
# (setuptools) too: the runtime set for the Docker image, the development set for .venv.
# Needs only python: pip-tools is put into .venv first if it is not there (e.g. when a
# merge left the lock files unusable).
lock:
	test -x $(VENV)/bin/pip-compile || { $(PYTHON) -m venv $(VENV) \
		&& $(VENV)/bin/pip install --quiet "pip-tools>=7.4"; }
	$(PIP_COMPILE) --all-build-deps -o requirements.txt pyproject.toml
	$(PIP_COMPILE) --all-build-deps --extra dev -o requirements-dev.txt pyproject.toml

sandbox: $(STAMP)
	$(VENV)/bin/python -m bot.sandbox

demo: $(STAMP)
	$(VENV)/bin/python -m bot.devtools.demo

screenshot: $(STAMP)
	$(VENV)/bin/python -m bot.devtools.screenshot

chart: $(STAMP)
	$(VENV)/bin/python -m bot.devtools.chart docs/stats.png
