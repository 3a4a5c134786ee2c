PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PROTOS := $(wildcard protos/taskrouter/v1/*.proto)

.PHONY: setup chromium run test proto bench lint clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dev]'
	touch $@

setup: $(VENV)/.installed chromium

# The dashboard's browser test drives Debian's chromium (no browser download): installed where missing.
chromium:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium) >/dev/null; } \
	  || echo "chromium is missing: install Debian's chromium package for the dashboard test" >&2

run: setup
	mkdir -p var
	$(VENV)/bin/taskrouter serve --print-account

test: setup
	$(PY) -m pytest -q

# Regenerates generated/ from protos/: messages, gRPC stubs and .pyi type stubs.
proto: setup
	rm -rf generated/taskrouter
	$(PY) -m grpc_tools.protoc -Iprotos \
	  -I$$($(PY) -c 'import google.api, os; print(os.path.dirname(os.path.dirname(google.api.__path__[0])))') \
	  --python_out=generated --pyi_out=generated --grpc_python_out=generated $(PROTOS)
	touch generated/taskrouter/__init__.py generated/taskrouter/v1/__init__.py

bench: setup
	$(PY) -m bench

lint: setup
	$(VENV)/bin/ruff check services tests bench
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) var
