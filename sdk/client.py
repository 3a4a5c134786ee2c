"""The synchronous client: one method per RPC of the four services (see methods.py), taking the
request's fields as keyword arguments and returning the response message."""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
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
from taskrouter.client.streams import EventStream


class Client(ClientBase):
    """Client(target, account_sid=..., auth_token=...) or Client(target, worker_token=...); see
    ClientBase for the other settings."""

    def __init__(self, target: str = DEFAULT_TARGET, **settings: Any):
        super().__init__(target, **settings)
        self._channel: grpc.Channel = self._open_channel(grpc)

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- how calls are made ------------------------------------------------------------------
    def _callable(self, rpc: Rpc):
        return self._multicallable(self._channel, rpc)

    def _unary(self, rpc: Rpc, fields: dict[str, Any]) -> Message:
        request = build(rpc.request_class, rpc.name, fields)
        call = self._callable(rpc)
        for delay in self.retry.delays() if rpc.idempotent else ():
            try:
                return call(request, metadata=self._metadata, timeout=self.timeout)
            except grpc.RpcError as error:
                if error.code() != grpc.StatusCode.UNAVAILABLE:
                    raise TaskRouterError.from_rpc_error(error) from None
            time.sleep(delay)
        try:
            return call(request, metadata=self._metadata, timeout=self.timeout)
        except grpc.RpcError as error:
            raise TaskRouterError.from_rpc_error(error) from None

    def _pages(self, rpc: Rpc, fields: dict[str, Any]) -> Iterator[Message]:
        assert rpc.page_field is not None  # install() gives paged lists only an iter_* method
        page, fields = first_page(fields)
        while True:
            response = self._unary(rpc, {**fields, "page": page})
            yield from getattr(response, rpc.page_field)
            if is_last_page(response, page):
                return
            page += 1

    def _stream(self, rpc: Rpc, fields: dict[str, Any]) -> Iterator[Message]:
        if not rpc.resumable:
            return self._once(rpc, fields)
        return EventStream(lambda stream: self._resuming(rpc, fields, stream))

    def _once(self, rpc: Rpc, fields: dict[str, Any]) -> Iterator[Message]:
        call = self._callable(rpc)(build(rpc.request_class, rpc.name, fields), metadata=self._metadata)
        try:
            yield from call
        except grpc.RpcError as error:
            raise TaskRouterError.from_rpc_error(error) from None
        finally:
            call.cancel()

    def _resuming(self, rpc: Rpc, fields: dict[str, Any], stream: EventStream) -> Generator[Message, None, None]:
        """Follows the stream for as long as the caller iterates: after a dropped connection or a
        server restart it connects again (with backoff) and resumes after the last event seen."""
        after, fields = start_position(fields)
        delays = self.retry.delays(forever=True)
        while True:
            call = self._callable(rpc)(build(rpc.request_class, rpc.name, {**fields, "after_id": after_id(after)}),
                                       metadata=self._metadata)
            try:
                after = after if after is not None else position_of(call.initial_metadata())
                stream.last_event_id = after
                stream.connected.set()
                for event in call:
                    after = stream.last_event_id = event.id
                    delays = self.retry.delays(forever=True)  # connected: the next outage starts over
                    yield event
            except grpc.RpcError as error:
                if error.code() not in RECONNECT_CODES:
                    raise TaskRouterError.from_rpc_error(error) from None
            finally:
                stream.connected.clear()
                call.cancel()
            time.sleep(next(delays))


install(Client, asynchronous=False)
