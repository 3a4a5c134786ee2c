"""The synchronous client: one method per RPC of the four services (see methods.py), taking the
request's fields as keyword arguments and returning the response message."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from typing import Any

import grpc
from google.protobuf.message import Message

from taskrouter.client.channel import (
    DEFAULT_TARGET,
    RECONNECT_CODES,
    auth_metadata,
    channel_options,
)
from taskrouter.client.errors import TaskRouterError
from taskrouter.client.methods import install
from taskrouter.client.requests import build
from taskrouter.client.retry import DEFAULT_RETRY, RetryPolicy
from taskrouter.client.rpcs import POSITION_METADATA, Rpc
from taskrouter.client.streams import EventStream

PAGE_SIZE = 100  # the iter_* twins' page size unless given


class Client:
    """Client(target, account_sid=..., auth_token=...) or Client(target, worker_token=...).

    `credentials`: grpc.ssl_channel_credentials(...) for a TLS server. `timeout`: seconds per
    unary call. `retry`: how idempotent calls and streams retry on UNAVAILABLE."""

    def __init__(self, target: str = DEFAULT_TARGET, *, account_sid: str | None = None,
                 auth_token: str | None = None, worker_token: str | None = None,
                 credentials: grpc.ChannelCredentials | None = None, timeout: float | None = 30.0,
                 retry: RetryPolicy = DEFAULT_RETRY, options=()):
        self.target = target
        self.timeout = timeout
        self.retry = retry
        self._metadata = auth_metadata(account_sid, auth_token, worker_token)
        settings = channel_options(options)
        self._channel = (grpc.secure_channel(target, credentials, settings) if credentials is not None
                         else grpc.insecure_channel(target, settings))
        self._calls: dict[str, Any] = {}

    def with_options(self, *, timeout: float | None = None, retry: RetryPolicy | None = None) -> Client:
        """The same client (same channel) with another timeout or retry policy."""
        other = copy.copy(self)
        other.timeout = timeout if timeout is not None else self.timeout
        other.retry = retry if retry is not None else self.retry
        return other

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- how calls are made ------------------------------------------------------------------
    def _callable(self, rpc: Rpc):
        call = self._calls.get(rpc.name)
        if call is None:
            factory = self._channel.unary_stream if rpc.streaming else self._channel.unary_unary
            call = self._calls[rpc.name] = factory(rpc.path, request_serializer=rpc.request_class.SerializeToString,
                                                   response_deserializer=rpc.response_class.FromString)
        return call

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
        fields = dict(fields)
        page = fields.pop("page", 0) or 0
        fields.setdefault("page_size", PAGE_SIZE)
        while True:
            response = self._unary(rpc, {**fields, "page": page})
            yield from getattr(response, rpc.page_field)
            if not response.HasField("next_page_uri") or page + 1 >= response.num_pages:
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

    def _resuming(self, rpc: Rpc, fields: dict[str, Any], stream: EventStream) -> Iterator[Message]:
        """Follows the stream for as long as the caller iterates: after a dropped connection or a
        server restart it connects again (with backoff) and resumes after the last event seen."""
        fields = dict(fields)
        after = fields.pop("after_id", 0) or 0
        delays = self.retry.delays(forever=True)
        while True:
            call = self._callable(rpc)(build(rpc.request_class, rpc.name, {**fields, "after_id": after}),
                                       metadata=self._metadata)
            try:
                position = int(dict(call.initial_metadata() or ()).get(POSITION_METADATA, 0) or 0)
                after = after or position
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
