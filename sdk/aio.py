"""The asyncio client: the same methods as Client (methods.py), as coroutines; iter_* twins and
watch_* streams are async iterators."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import AsyncIterator
from typing import Any

import grpc
from google.protobuf.message import Message

from taskrouter.client.channel import (
    DEFAULT_TARGET,
    RECONNECT_CODES,
    auth_metadata,
    channel_options,
)
from taskrouter.client.client import PAGE_SIZE
from taskrouter.client.errors import TaskRouterError
from taskrouter.client.methods import install
from taskrouter.client.requests import build
from taskrouter.client.retry import DEFAULT_RETRY, RetryPolicy
from taskrouter.client.rpcs import POSITION_METADATA, Rpc
from taskrouter.client.streams import AsyncEventStream


class AsyncClient:
    """AsyncClient(target, account_sid=..., auth_token=...) or AsyncClient(target, worker_token=...);
    the channel opens on the first call, in the running event loop."""

    def __init__(self, target: str = DEFAULT_TARGET, *, account_sid: str | None = None,
                 auth_token: str | None = None, worker_token: str | None = None,
                 credentials: grpc.ChannelCredentials | None = None, timeout: float | None = 30.0,
                 retry: RetryPolicy = DEFAULT_RETRY, options=()):
        self.target = target
        self.timeout = timeout
        self.retry = retry
        self._metadata = auth_metadata(account_sid, auth_token, worker_token)
        self._credentials = credentials
        self._options = channel_options(options)
        self._channel: grpc.aio.Channel | None = None
        self._calls: dict[str, Any] = {}

    def with_options(self, *, timeout: float | None = None, retry: RetryPolicy | None = None) -> AsyncClient:
        """The same client (same channel) with another timeout or retry policy."""
        other = copy.copy(self)
        other.timeout = timeout if timeout is not None else self.timeout
        other.retry = retry if retry is not None else self.retry
        return other

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
            self._channel = (grpc.aio.secure_channel(self.target, self._credentials, self._options)
                             if self._credentials is not None
                             else grpc.aio.insecure_channel(self.target, self._options))
            self._calls = {}
        call = self._calls.get(rpc.name)
        if call is None:
            factory = self._channel.unary_stream if rpc.streaming else self._channel.unary_unary
            call = self._calls[rpc.name] = factory(rpc.path, request_serializer=rpc.request_class.SerializeToString,
                                                   response_deserializer=rpc.response_class.FromString)
        return call

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
        fields = dict(fields)
        page = fields.pop("page", 0) or 0
        fields.setdefault("page_size", PAGE_SIZE)
        while True:
            response = await self._unary(rpc, {**fields, "page": page})
            for item in getattr(response, rpc.page_field):
                yield item
            if not response.HasField("next_page_uri") or page + 1 >= response.num_pages:
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

    async def _resuming(self, rpc: Rpc, fields: dict[str, Any], stream: AsyncEventStream) -> AsyncIterator[Message]:
        """As Client._resuming: reconnects with backoff and resumes after the last event seen."""
        fields = dict(fields)
        after = fields.pop("after_id", 0) or 0
        delays = self.retry.delays(forever=True)
        while True:
            call = self._callable(rpc)(build(rpc.request_class, rpc.name, {**fields, "after_id": after}),
                                       metadata=self._metadata)
            try:
                position = int(dict(await call.initial_metadata() or ()).get(POSITION_METADATA, 0) or 0)
                after = after or position
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
