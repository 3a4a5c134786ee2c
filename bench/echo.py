"""The ceiling: a trivial unary echo server built exactly like services/server.py builds its
gRPC server (grpc.aio on its own loop, the handler's work handed to the bounded pool of 32
threads, the same message limits), so `CreateTask / echo` is the share of the achievable gRPC
rate that the service delivers.

Run as `python -m bench.echo --addr 127.0.0.1:0`; prints "echo listening on HOST:PORT"."""

from __future__ import annotations

import argparse
import asyncio
import signal

import grpc

from taskrouter.server.blocking import BlockingCalls
from taskrouter.server.limits import Limits, message_options
from taskrouter.server.store import db

METHOD = "/bench.Echo/Echo"


def _same(request: bytes) -> bytes:
    return request


async def serve(address: str) -> None:
    limits = Limits()
    blocking = BlockingCalls(limits.threads, db.connect("sqlite:///:memory:"))

    async def echo(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        return await blocking.run(_same, request)  # the hop every domain call makes

    server = grpc.aio.server(options=[("grpc.so_reuseport", 0), *message_options(limits.max_message_bytes)])
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(
        "bench.Echo", {"Echo": grpc.unary_unary_rpc_method_handler(echo)}),))  # bytes in, bytes out
    port = server.add_insecure_port(address)
    await server.start()
    print(f"echo listening on {address.rpartition(':')[0]}:{port}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await server.stop(1)
    blocking.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--addr", default="127.0.0.1:0")
    asyncio.run(serve(parser.parse_args().addr))


if __name__ == "__main__":
    main()
