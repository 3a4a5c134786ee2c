"""The asyncio client: the same methods as Client (methods.py), as coroutines; iter_* twins and
watch_* streams are async iterators."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator
from typing import Any

import grpc
from google.protobuf.message import Message

from taskrouter.client.base import (
    ClientBase,
    after_id,
    first_page,
    is_last_page,
    position_of,
    start_position,
)
from taskrouter.client.channel import DEFAULT_TARGET, RECONNECT_CODES
from taskrouter.client.errors import TaskRouterError
from taskrouter.client.methods import install
from taskrouter.client.requests import build
from taskrouter.client.rpcs import Rpc
from taskrouter.client.streams import AsyncEventStream


class AsyncClient(ClientBase):
    """AsyncClient(target, account_sid=..., auth_token=...) or AsyncClient(target, worker_token=...);
    see ClientBase for the other settings. The channel opens on the first call, in the running
    event loop."""

    def __init__(self, target: str = DEFAULT_TARGET, **settings: Any):
        super().__init__(target, **settings)
        self._channel: grpc.aio.Channel | None = None

    async def close(self) -> None:
        if self._channel is not None:
            channel, self._channel, self._calls = self._channel, None, {}
            await channel.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    # -- how calls are made ------------------------------------------------------------------
    def _callable(self, rpc: Rpc):
        if self._channel is None:
            self._channel = self._open_channel(grpc.aio)
            self._calls = {}
        return self._multicallable(self._channel, rpc)

    async def _unary(self, rpc: Rpc, fields: dict[str, Any]) -> Message:
        request = build(rpc.request_class, rpc.name, fields)
        for delay in self.retry.delays() if rpc.idempotent else ():
            try:
                return await self._callable(rpc)(request, metadata=self._metadata, timeout=self.timeout)
            except grpc.RpcError as error:
                if error.code() != grpc.StatusCode.UNAVAILABLE:
                    raise TaskRouterError.from_rpc_error(error) from None
            await asyncio.sleep(delay)
        try:
            return await self._callable(rpc)(request, metadata=self._metadata, timeout=self.timeout)
        except grpc.RpcError as error:
            raise TaskRouterError.from_rpc_error(error) from None

    async def _pages(self, rpc: Rpc, fields: dict[str, Any]) -> AsyncIterator[Message]:
        assert rpc.page_field is not None  # install() gives paged lists only an iter_* method
        page, fields = first_page(fields)
        while True:
            response = await self._unary(rpc, {**fields, "page": page})
            for item in getattr(response, rpc.page_field):
                yield item
            if is_last_page(response, page):
                return
            page += 1

    def _stream(self, rpc: Rpc, fields: dict[str, Any]) -> AsyncIterator[Message]:
        if not rpc.resumable:
            return self._once(rpc, fields)
        return AsyncEventStream(lambda stream: self._resuming(rpc, fields, stream))

    async def _once(self, rpc: Rpc, fields: dict[str, Any]) -> AsyncIterator[Message]:
        call = self._callable(rpc)(build(rpc.request_class, rpc.name, fields), metadata=self._metadata)
        try:
            async for item in call:
                yield item
        except grpc.RpcError as error:
            raise TaskRouterError.from_rpc_error(error) from None
        finally:
            call.cancel()

    async def _resuming(self, rpc: Rpc, fields: dict[str, Any],
                        stream: AsyncEventStream) -> AsyncGenerator[Message, None]:
        """As Client._resuming: reconnects with backoff and resumes after the last event seen."""
        after, fields = start_position(fields)
        delays = self.retry.delays(forever=True)
        while True:
            call = self._callable(rpc)(build(rpc.request_class, rpc.name, {**fields, "after_id": after_id(after)}),
                                       metadata=self._metadata)
            try:
                after = after if after is not None else position_of(await call.initial_metadata())
                stream.last_event_id = after
                stream.connected.set()
                async for event in call:
                    after = stream.last_event_id = event.id
                    delays = self.retry.delays(forever=True)
                    yield event
            except grpc.RpcError as error:
                if error.code() not in RECONNECT_CODES:
                    raise TaskRouterError.from_rpc_error(error) from None
            finally:
                stream.connected.clear()
                call.cancel()
            await asyncio.sleep(next(delays))


install(AsyncClient, asynchronous=True)
