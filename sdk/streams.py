"""What a watch_* call returns: an iterator of events that also tells whether it is connected and
where it stands, so a caller can start watching before it acts (an agent opens its stream, then
goes Online, and misses no offer)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Generic, TypeVar

T = TypeVar("T")


class EventStream(Generic[T]):
    """Iterate it for events. `connected` is set while a connection is open; `last_event_id` is the
    event the stream would resume after (the server's position before the first event)."""

    def __init__(self, follow: Callable[[EventStream[T]], Generator[T, None, None]]):
        self.connected = threading.Event()
        self.last_event_id = 0
        self._events = follow(self)

    def __iter__(self) -> EventStream[T]:
        return self

    def __next__(self) -> T:
        return next(self._events)

    def close(self) -> None:
        """Ends the stream (and its connection); iterating it afterwards stops at once."""
        self._events.close()


class AsyncEventStream(Generic[T]):
    """The asyncio EventStream: `async for` it; `connected` is an asyncio.Event."""

    def __init__(self, follow: Callable[[AsyncEventStream[T]], AsyncGenerator[T, None]]):
        self.connected = asyncio.Event()
        self.last_event_id = 0
        self._events = follow(self)

    def __aiter__(self) -> AsyncEventStream[T]:
        return self

    async def __anext__(self) -> T:
        return await self._events.__anext__()

    async def aclose(self) -> None:
        await self._events.aclose()
