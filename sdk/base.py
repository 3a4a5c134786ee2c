"""What the sync and the asyncio client share: their settings, credentials, the multicallables of
a channel, and the bookkeeping of pages and stream positions (the loops that await or not differ)."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

import grpc
from google.protobuf.message import Message

from taskrouter.client.channel import DEFAULT_TARGET, auth_metadata, channel_options
from taskrouter.client.retry import DEFAULT_RETRY, RetryPolicy
from taskrouter.client.rpcs import POSITION_METADATA, Rpc

PAGE_SIZE = 100  # the iter_* twins' page size unless given
Self = TypeVar("Self", bound="ClientBase")


class ClientBase:
    """(target, account_sid=..., auth_token=...) or (target, worker_token=...).

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
        self._credentials = credentials
        self._options = channel_options(options)
        self._calls: dict[str, Any] = {}

    def with_options(self: Self, *, timeout: float | None = None, retry: RetryPolicy | None = None) -> Self:
        """The same client (same channel) with another timeout or retry policy."""
        other = copy.copy(self)
        other.timeout = timeout if timeout is not None else self.timeout
        other.retry = retry if retry is not None else self.retry
        return other

    def _open_channel(self, transport: Any):
        """A channel to the target from `transport` (grpc or grpc.aio: the same calls), over TLS with credentials."""
        if self._credentials is not None:
            return transport.secure_channel(self.target, self._credentials, self._options)
        return transport.insecure_channel(self.target, self._options)

    def _multicallable(self, channel, rpc: Rpc):
        call = self._calls.get(rpc.name)
        if call is None:
            factory = channel.unary_stream if rpc.streaming else channel.unary_unary
            call = self._calls[rpc.name] = factory(rpc.path, request_serializer=rpc.request_class.SerializeToString,
                                                   response_deserializer=rpc.response_class.FromString)
        return call


def first_page(fields: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The page to start from and the other fields of an iter_* call (page_size defaulted)."""
    fields = dict(fields)
    page = fields.pop("page", 0) or 0
    fields.setdefault("page_size", PAGE_SIZE)
    return page, fields


def is_last_page(response: Message, page: int) -> bool:
    return not response.HasField("next_page_uri") or page + 1 >= response.num_pages


def start_position(fields: dict[str, Any]) -> tuple[int | None, dict[str, Any]]:
    """The event a watch_* call starts after (None: from now on) and its other fields."""
    fields = dict(fields)
    return fields.pop("after_id", None) or None, fields


def after_id(position: int | None) -> int:
    """The request's after_id for a known position: 0 asks for "from now on", so the very start of
    a log (position 0) is asked for as -1."""
    if position is None:
        return 0
    return position if position > 0 else -1


def position_of(metadata) -> int:
    """The server's position when the stream opened (its initial metadata)."""
    return int(dict(metadata or ()).get(POSITION_METADATA, 0) or 0)
