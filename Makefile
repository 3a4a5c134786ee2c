PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PROTOS := $(wildcard protos/taskrouter/v1/*.proto)

.PHONY: setup run test proto bench lint clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed

run: setup
	mkdir -p var
	$(VENV)/bin/taskrouter serve --print-account

test: setup
	$(PY) -m pytest -q

# Regenerates generated/ from protos/: messages, gRPC stubs and .pyi type stubs; then the SDK's
# type stubs (sdk/*.pyi).
proto: setup
	rm -rf generated/taskrouter
	$(PY) -m grpc_tools.protoc -Iprotos \
	  -I$$($(PY) -c 'import google.api, os; print(os.path.dirname(os.path.dirname(google.api.__path__[0])))') \
	  --python_out=generated --pyi_out=generated --grpc_python_out=generated $(PROTOS)
	touch generated/taskrouter/__init__.py generated/taskrouter/v1/__init__.py
	$(PY) -m taskrouter.client.stubgen sdk

bench: setup
	$(PY) -m bench

lint: setup
	$(VENV)/bin/ruff check services tests bench

clean:
	rm -rf $(VENV) var
