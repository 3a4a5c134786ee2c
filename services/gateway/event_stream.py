"""Server-streaming RPCs as Server-Sent Events.

Each message is one event: `id:` from its `id` field, `event:` from its `event_type` field (when the
message has them), `data:` its JSON. A comment line keeps idle connections open. An error before
the stream starts is an ordinary HTTP error; after it started, an `event: error` whose data is the
seed's error body, then the end of the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import grpc

from taskrouter.server.gateway.error_mapping import ErrorResponse, error_from_aio
from taskrouter.server.gateway.rendering import dumps, message_to_json
from taskrouter.server.gateway.routes import EVENT_ID_FIELD, EVENT_TYPE_FIELD

log = logging.getLogger(__name__)

Send = Callable[[dict[str, Any]], Awaitable[None]]
Receive = Callable[[], Awaitable[dict[str, Any]]]

HEADERS = [
    (b"content-type", b"text/event-stream; charset=utf-8"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
]
# How long to wait, after the server sent its headers, for an immediate error (trailers-only).
_ERROR_GRACE = 0.05


def format_event(message) -> bytes:
    lines = []
    fields = message.DESCRIPTOR.fields_by_name
    if EVENT_ID_FIELD in fields:
        lines.append(f"id: {getattr(message, EVENT_ID_FIELD)}")
    if EVENT_TYPE_FIELD in fields and getattr(message, EVENT_TYPE_FIELD):
        lines.append(f"event: {getattr(message, EVENT_TYPE_FIELD)}")
    # json.dumps never emits a raw newline, so the data fits on one line.
    lines.append("data: " + dumps(message_to_json(message)).decode())
    return ("\n".join(lines) + "\n\n").encode()


def format_error(error: ErrorResponse) -> bytes:
    return b"event: error\ndata: " + error.body_bytes() + b"\n\n"


async def _disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _discard(*tasks: asyncio.Future) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(BaseException):
            await task


async def serve_stream(
    call: grpc.aio.UnaryStreamCall,
    receive: Receive,
    send: Send,
    send_error: Callable[[ErrorResponse], Awaitable[None]],
    heartbeat: float,
    closing: asyncio.Event,
    start_wait: float,
) -> None:
    """Relay `call` to the client until it ends, the client leaves, or the gateway stops.

    The 200 goes out when the server sends its headers or first message, or after `start_wait`
    seconds, whichever is first; an error before that is an ordinary HTTP error response."""
    disconnect = asyncio.ensure_future(_disconnected(receive))
    stopping = asyncio.ensure_future(closing.wait())
    headers = asyncio.ensure_future(call.initial_metadata())
    read = asyncio.ensure_future(call.read())
    started = False

    async def start() -> None:
        nonlocal started
        await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
        await send({"type": "http.response.body", "body": b": connected\n\n", "more_body": True})
        started = True

    try:
        # Until the server answers, an error can still be a proper HTTP status.
        await asyncio.wait(
            {headers, read, disconnect, stopping}, timeout=start_wait, return_when=asyncio.FIRST_COMPLETED
        )
        if headers.done() and not read.done():
            await asyncio.wait({read}, timeout=_ERROR_GRACE)
        if disconnect.done() or stopping.done():
            if not started and not disconnect.done():
                await send_error(ErrorResponse(503, "503", "The gateway is shutting down"))
            return
        if read.done() and isinstance(read.exception(), grpc.aio.AioRpcError):
            await send_error(error_from_aio(read.exception()))
            return
        await start()
        while True:
            done, _ = await asyncio.wait(
                {read, disconnect, stopping}, timeout=heartbeat, return_when=asyncio.FIRST_COMPLETED
            )
            if disconnect in done or stopping in done:
                return
            if not done:
                await send({"type": "http.response.body", "body": b": heartbeat\n\n", "more_body": True})
                continue
            try:
                message = read.result()
            except grpc.aio.AioRpcError as err:
                await send({"type": "http.response.body", "body": format_error(error_from_aio(err)), "more_body": True})
                return
            if message is grpc.aio.EOF:
                return
            await send({"type": "http.response.body", "body": format_event(message), "more_body": True})
            read = asyncio.ensure_future(call.read())
    finally:
        call.cancel()
        await _discard(disconnect, stopping, headers, read)
        if started:
            with contextlib.suppress(Exception):
                await send({"type": "http.response.body", "body": b"", "more_body": False})
