PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PROTOS := $(wildcard protos/taskrouter/v1/*.proto)
TYPECHECK_VIEW := $(VENV)/typecheck/taskrouter
# the googleapis protos (google/api/*.proto) that googleapis-common-protos installs
GOOGLEAPIS = $$($(PY) -c 'import google.api, os; print(os.path.dirname(os.path.dirname(google.api.__path__[0])))')

.PHONY: setup chromium run test proto bench lint lint-proto clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,dev]'
	touch $@

setup: $(VENV)/.installed $(TYPECHECK_VIEW) chromium

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

# Regenerates generated/ from protos/: messages, gRPC stubs and .pyi type stubs; then the SDK's
# type stubs (sdk/*.pyi).
proto: setup
	rm -rf generated/taskrouter
	$(PY) -m grpc_tools.protoc -Iprotos -I$(GOOGLEAPIS) \
	  --python_out=generated --pyi_out=generated --grpc_python_out=generated $(PROTOS)
	touch generated/taskrouter/__init__.py generated/taskrouter/v1/__init__.py
	$(PY) -m taskrouter.client.stubgen sdk

bench: setup
	$(PY) -m bench

# mypy cannot follow the editable install's import hook, so it reads `taskrouter` through this view:
# symlinks laid out as the package is imported (pyproject's package-dir).
$(TYPECHECK_VIEW): $(VENV)/.installed
	mkdir -p $@
	ln -sfn ../../../generated/taskrouter/__init__.py $@/__init__.py
	ln -sfn ../../../generated/taskrouter/v1 $@/v1
	ln -sfn ../../../services $@/server
	ln -sfn ../../../sdk $@/client
	touch $@

# The second mypy run checks the SDK's clients, which their generated stubs (sdk/*.pyi) hide from the first.
lint: setup
	$(VENV)/bin/ruff check services sdk examples tests bench
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy $(TYPECHECK_VIEW)/client/client.py $(TYPECHECK_VIEW)/client/aio.py
	@if command -v buf >/dev/null; then $(MAKE) --no-print-directory lint-proto; \
	  else echo "buf not installed (npm install -g @bufbuild/buf): proto lint skipped"; fi

# buf lint (rules and exceptions in buf.yaml) over an image protoc builds with the googleapis
# protos from site-packages, so it needs no network.
lint-proto: setup
	$(PY) -m grpc_tools.protoc -Iprotos -I$(GOOGLEAPIS) --include_imports --include_source_info \
	  --descriptor_set_out=$(VENV)/protos.binpb $(PROTOS)
	buf lint $(VENV)/protos.binpb --config buf.yaml --path taskrouter/v1

clean:
	rm -rf $(VENV) var
