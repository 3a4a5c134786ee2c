"""The bounded pool where the domain's blocking calls (database, peewee) run, off the event
loop: the loop only ever awaits them, so a slow query holds one pool thread, never the server."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
from collections.abc import Callable
from typing import TypeVar

from taskrouter.server.store import db

T = TypeVar("T")


class BlockingCalls:
    """Runs synchronous functions on `threads` threads, with the caller's context variables
    (the authenticated caller, for one) visible inside them, and `store` in use."""

    def __init__(self, threads: int, store: db.Store):
        self.threads = threads
        self.store = store
        self._pool = concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix="rpc")

    async def run(self, function: Callable[..., T], *args) -> T:
        context = contextvars.copy_context()
        context.run(self.store.activate)
        return await asyncio.get_running_loop().run_in_executor(self._pool, context.run, function, *args)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
