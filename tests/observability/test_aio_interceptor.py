"""The asyncio server's observing interceptor on a real grpc.aio server (the health service):
calls are counted by service, method and code, a stream is an open stream while it lasts, and
the caller's request id is the call's."""

from __future__ import annotations

import asyncio
import logging

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from prometheus_client import REGISTRY

from taskrouter.server.observability import request_id
from taskrouter.server.observability.observer import Observer
from taskrouter.server.observability.rpc_observation import ObservingAioInterceptor

HEALTH = "grpc.health.v1.Health"


class _Recorder(logging.Handler):
    def __init__(self):
        super().__init__()
        self.ids: list[str] = []

    def emit(self, record):
        self.ids.append(request_id.current())


def _count(method: str, code: str) -> float:
    labels = {"service": HEALTH, "method": method, "code": code}
    return REGISTRY.get_sample_value("taskrouter_grpc_requests_total", labels) or 0.0


def _streams() -> float:
    return REGISTRY.get_sample_value("taskrouter_event_streams_open", {"transport": "grpc"}) or 0.0


def test_aio_calls_are_counted_with_their_codes_and_request_ids():
    seen = _Recorder()
    probe = logging.getLogger("taskrouter.test.aio")
    probe.addHandler(seen)
    probe.setLevel(logging.INFO)

    class Logged(health.aio.HealthServicer):
        async def Check(self, request, context):
            probe.info("checked")
            return await super().Check(request, context)

    async def run() -> None:
        server = grpc.aio.server(interceptors=[ObservingAioInterceptor(Observer())],
                                 options=[("grpc.so_reuseport", 0)])
        servicer = Logged()
        health_pb2_grpc.add_HealthServicer_to_server(servicer, server)
        await servicer.set("", health_pb2.HealthCheckResponse.SERVING)
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        try:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
                stub = health_pb2_grpc.HealthStub(channel)
                await stub.Check(health_pb2.HealthCheckRequest(), metadata=(("x-request-id", "aio-1"),))
                try:
                    await stub.Check(health_pb2.HealthCheckRequest(service="nothing"))
                except grpc.aio.AioRpcError as err:
                    assert err.code() == grpc.StatusCode.NOT_FOUND
                streams = _streams()
                watch = stub.Watch(health_pb2.HealthCheckRequest())
                await watch.read()
                assert _streams() == streams + 1
                watch.cancel()
                for _ in range(100):
                    if _streams() == streams:
                        break
                    await asyncio.sleep(0.02)
                assert _streams() == streams
        finally:
            await server.stop(None)

    ok, missing = _count("Check", "OK"), _count("Check", "NOT_FOUND")
    cancelled = _count("Watch", "CANCELLED")
    asyncio.run(run())
    probe.removeHandler(seen)
    assert _count("Check", "OK") == ok + 1
    assert _count("Check", "NOT_FOUND") == missing + 1
    assert _count("Watch", "CANCELLED") == cancelled + 1
    assert seen.ids[0] == "aio-1" and seen.ids[1].startswith("RQ")
