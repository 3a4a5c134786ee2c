"""The ceiling: a trivial unary echo server built exactly like services/server.py builds its
gRPC server (sync server, ThreadPoolExecutor(32), the same channel options and concurrency cap),
so `CreateTask / echo` is the share of the achievable gRPC rate that the service delivers.

Run as `python -m bench.echo --addr 127.0.0.1:0`; prints "echo listening on HOST:PORT"."""

from __future__ import annotations

import argparse
import concurrent.futures
import signal
import threading

import grpc

from taskrouter.server.server import MAX_MESSAGE_BYTES

METHOD = "/bench.Echo/Echo"
THREADS = 32  # services.server.create_server's default


def _echo(request: bytes, context: grpc.ServicerContext) -> bytes:
    return request


def build(address: str, threads: int = THREADS) -> tuple[grpc.Server, int]:
    server = grpc.server(
        concurrent.futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="rpc"),
        options=[("grpc.so_reuseport", 0), ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)],
        maximum_concurrent_rpcs=threads * 16,
    )
    handler = grpc.method_handlers_generic_handler(
        "bench.Echo", {"Echo": grpc.unary_unary_rpc_method_handler(_echo)})  # bytes in, bytes out
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port(address)
    server.start()
    return server, port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--addr", default="127.0.0.1:0")
    args = parser.parse_args()
    server, port = build(args.addr)
    print(f"echo listening on {args.addr.rpartition(':')[0]}:{port}", flush=True)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()
    server.stop(1).wait()


if __name__ == "__main__":
    main()
