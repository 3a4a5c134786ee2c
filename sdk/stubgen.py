"""Writes the SDK's type stubs (client.pyi, aio.pyi) from the same method table the clients are
built from at run time, so editors and type checkers know every method, its keyword arguments
and what it returns. `make proto` runs it: python -m taskrouter.client.stubgen [DIRECTORY]."""

from __future__ import annotations

import os
import sys

from google.protobuf.descriptor import Descriptor, FieldDescriptor

from taskrouter.client.requests import is_repeated
from taskrouter.client.rpcs import RPCS, Rpc

_SCALARS = {
    FieldDescriptor.TYPE_STRING: "str", FieldDescriptor.TYPE_BYTES: "bytes", FieldDescriptor.TYPE_BOOL: "bool",
    FieldDescriptor.TYPE_DOUBLE: "float", FieldDescriptor.TYPE_FLOAT: "float", FieldDescriptor.TYPE_ENUM: "int",
}
_JSON_TEXT = {"attributes", "configuration"}  # string fields holding JSON: a dict is sent as its JSON
_WELL_KNOWN = {"google.protobuf.Struct": "Mapping[str, Any]", "google.protobuf.Value": "Any",
               "google.protobuf.ListValue": "Sequence[Any]"}


def _module(descriptor: Descriptor) -> str:
    return descriptor.file.name.removesuffix(".proto").replace("/", ".") + "_pb2"


def _class(descriptor: Descriptor, modules: set[str]) -> str:
    modules.add(_module(descriptor))
    return f"{_module(descriptor).rsplit('.', 1)[1]}.{descriptor.name}"


def _field_type(field: FieldDescriptor, modules: set[str]) -> str:
    message = field.message_type
    if message is not None and message.GetOptions().map_entry:
        key = _field_type(message.fields_by_name["key"], modules)
        return f"Mapping[{key}, {_field_type(message.fields_by_name['value'], modules)}]"
    if message is not None:
        one = _WELL_KNOWN.get(message.full_name) or f"{_class(message, modules)} | Mapping[str, Any]"
    else:
        one = _SCALARS.get(field.type, "int")
        if field.name in _JSON_TEXT and one == "str":
            one = "str | Mapping[str, Any]"
    return f"Sequence[{one}]" if is_repeated(field) else one


def _kwargs(rpc: Rpc, modules: set[str], skip: tuple[str, ...] = ()) -> str:
    """The keyword arguments, one a line (the stubs are read by people too)."""
    fields = [f for f in rpc.method.input_type.fields if f.name not in skip]
    if not fields:
        return ""
    return ",\n        *,\n" + "".join(f"        {f.name}: {_field_type(f, modules)} | None = ...,\n" for f in fields)


def _signature(name: str, kwargs: str, returns: str, asynchronous_def: bool = False) -> str:
    prefix = "async def" if asynchronous_def else "def"
    if not kwargs:
        return f"    {prefix} {name}(self) -> {returns}: ..."
    return f"    {prefix} {name}(\n        self{kwargs}    ) -> {returns}: ..."


def _methods(asynchronous: bool, modules: set[str]) -> list[str]:
    lines = []
    for rpc in RPCS.values():
        output = _class(rpc.method.output_type, modules)
        kwargs = _kwargs(rpc, modules)
        if rpc.resumable:
            kind = "AsyncEventStream" if asynchronous else "EventStream"
            lines.append(_signature(rpc.name, kwargs, f"{kind}[{output}]"))
        elif rpc.streaming:
            kind = "AsyncIterator" if asynchronous else "Iterator"
            lines.append(_signature(rpc.name, kwargs, f"{kind}[{output}]"))
        else:
            lines.append(_signature(rpc.name, kwargs, output, asynchronous))
        if rpc.iter_name:
            item = _class(rpc.method.output_type.fields_by_name[rpc.page_field].message_type, modules)
            kind = "AsyncIterator" if asynchronous else "Iterator"
            lines.append(_signature(rpc.iter_name, _kwargs(rpc, modules, ("page",)), f"{kind}[{item}]"))
    return lines


def _stub(asynchronous: bool) -> str:
    modules: set[str] = set()
    name = "AsyncClient" if asynchronous else "Client"
    methods = _methods(asynchronous, modules)
    close = ("    async def close(self) -> None: ...\n    async def __aenter__(self) -> AsyncClient: ...\n"
             "    async def __aexit__(self, *exc: object) -> None: ...") if asynchronous else (
        "    def close(self) -> None: ...\n    def __enter__(self) -> Client: ...\n"
        "    def __exit__(self, *exc: object) -> None: ...")
    imports = "".join(f"from {m.rsplit('.', 1)[0]} import {m.rsplit('.', 1)[1]}\n" for m in sorted(modules)
                      if not m.startswith("taskrouter."))
    ours = "".join(f"    {m.rsplit('.', 1)[1]},\n" for m in sorted(modules) if m.startswith("taskrouter."))
    return f'''# Written by `make proto` (python -m taskrouter.client.stubgen) from the protos: do not edit.
from collections.abc import {"AsyncIterator" if asynchronous else "Iterator"}, Mapping, Sequence
from typing import Any

import grpc
{imports}
from taskrouter.client.retry import RetryPolicy
from taskrouter.client.streams import {"AsyncEventStream" if asynchronous else "EventStream"}
from taskrouter.v1 import (
{ours})

class {name}:
    target: str
    timeout: float | None
    retry: RetryPolicy
    def __init__(self, target: str = ..., *, account_sid: str | None = ..., auth_token: str | None = ...,
                 worker_token: str | None = ..., credentials: grpc.ChannelCredentials | None = ...,
                 timeout: float | None = ..., retry: RetryPolicy = ...,
                 options: Sequence[tuple[str, Any]] = ...) -> None: ...
    def with_options(self, *, timeout: float | None = ..., retry: RetryPolicy | None = ...) -> {name}: ...
{close}
''' + "\n".join(methods) + "\n"


def main(directory: str | None = None) -> None:
    directory = directory or os.path.dirname(os.path.abspath(__file__))
    for filename, asynchronous in (("client.pyi", False), ("aio.pyi", True)):
        with open(os.path.join(directory, filename), "w") as out:
            out.write(_stub(asynchronous))


if __name__ == "__main__":
    main(*sys.argv[1:2])
