"""Puts one method per RPC (and an iter_* twin per paged list) on a client class, from the method
table: the sync and the asyncio client share this, each supplying how a call is made."""

from __future__ import annotations

from typing import Any

from taskrouter.client.rpcs import RPCS, Rpc


def describe(rpc: Rpc, iterates: bool = False) -> str:
    fields = ", ".join(f.name for f in rpc.method.input_type.fields)
    output = rpc.method.output_type.name
    if iterates:
        return (f"Every {rpc.page_field} item of {rpc.method.name}, walking all pages (yields "
                f"{rpc.method.output_type.fields_by_name[rpc.page_field].message_type.name}).\n\n"
                f"Keyword arguments (the request's fields, page excepted): {fields}.")
    kind = "Yields each" if rpc.streaming else "Returns the"
    extra = " Reconnects after a dropped connection and resumes after the last event." if rpc.resumable else ""
    return (f"{rpc.method.containing_service.name}.{rpc.method.name}. {kind} {output}.{extra}\n\n"
            f"Keyword arguments (the request's fields): {fields}.")


def install(cls: type, *, asynchronous: bool) -> type:
    """Adds the RPC methods to `cls`, which implements _unary, _stream and _pages."""
    for rpc in RPCS.values():
        _add(cls, rpc.name, _method(rpc, asynchronous), describe(rpc))
        if rpc.iter_name:
            _add(cls, rpc.iter_name, _pages(rpc), describe(rpc, iterates=True))
    return cls


def _add(cls: type, name: str, function, doc: str) -> None:
    function.__name__ = name
    function.__qualname__ = f"{cls.__name__}.{name}"
    function.__doc__ = doc
    setattr(cls, name, function)


def _method(rpc: Rpc, asynchronous: bool):
    if rpc.streaming:
        def stream(self, **fields: Any):
            return self._stream(rpc, fields)
        return stream
    if asynchronous:
        async def call_async(self, **fields: Any):
            return await self._unary(rpc, fields)
        return call_async

    def call(self, **fields: Any):
        return self._unary(rpc, fields)
    return call


def _pages(rpc: Rpc):
    def pages(self, **fields: Any):
        return self._pages(rpc, fields)
    return pages
