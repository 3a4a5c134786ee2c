"""Hosting: one process serves any subset of the four services, plus the routing loop and the
callback sender, over one database.

The gRPC server is a grpc.aio server on an event loop of its own thread: a unary call's
blocking domain work runs in a bounded pool (blocking.py), a stream waits on an asyncio future
between reads and holds no thread, so open streams never starve the other calls."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterable

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from taskrouter.server.authentication import Authenticator
from taskrouter.server.blocking import BlockingCalls
from taskrouter.server.clock import Clock
from taskrouter.server.configuration.servicer import ConfigurationServicer
from taskrouter.server.event_loop import LoopThread
from taskrouter.server.gateway.local_channel import LocalChannel
from taskrouter.server.ingress import sigv4, sigv4_accounts
from taskrouter.server.interceptor import ApiInterceptor
from taskrouter.server.limits import Limits, message_options
from taskrouter.server.observability import collectors, exposition, tracing
from taskrouter.server.observability.observer import Observer
from taskrouter.server.observability.rpc_observation import ObservingAioInterceptor
from taskrouter.server.routing.callback_urls import Destination, Network
from taskrouter.server.routing.callbacks import CallbackSender
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.dispatcher import Dispatcher
from taskrouter.server.routing.presence import Presence
from taskrouter.server.routing.statistics import reports
from taskrouter.server.routing.statistics.feed import StatisticsFeed
from taskrouter.server.store import db, wake_bus
from taskrouter.server.streams import EventSignal, StreamQuota
from taskrouter.server.tasks.servicer import TaskServicer
from taskrouter.server.tls import TlsFiles
from taskrouter.server.wake import Wakeups
from taskrouter.server.workflow.servicer import WorkflowServicer
from taskrouter.server.workforce.servicer import WorkforceServicer
from taskrouter.v1 import (
    configuration_service_pb2,
    configuration_service_pb2_grpc,
    task_service_pb2,
    task_service_pb2_grpc,
    workflow_service_pb2,
    workflow_service_pb2_grpc,
    workforce_service_pb2,
    workforce_service_pb2_grpc,
)

SERVICES = {
    "configuration": (configuration_service_pb2, configuration_service_pb2_grpc, "ConfigurationService"),
    "workforce": (workforce_service_pb2, workforce_service_pb2_grpc, "WorkforceService"),
    "workflow": (workflow_service_pb2, workflow_service_pb2_grpc, "WorkflowService"),
    "tasks": (task_service_pb2, task_service_pb2_grpc, "TaskService"),
}
class HandlerTable:
    """Collects the method handlers that generated add_*Servicer_to_server functions register,
    so the gRPC server and the gateway's in-process channel serve the very same ones."""

    def __init__(self) -> None:
        self.by_service: dict[str, dict[str, grpc.RpcMethodHandler]] = {}

    def add_generic_rpc_handlers(self, handlers) -> None:
        pass  # the same handlers arrive through add_registered_method_handlers

    def add_registered_method_handlers(self, service: str, handlers: dict[str, grpc.RpcMethodHandler]) -> None:
        self.by_service[service] = dict(handlers)

    def by_path(self) -> dict[str, grpc.RpcMethodHandler]:
        return {f"/{service}/{name}": handler for service, methods in self.by_service.items()
                for name, handler in methods.items()}

    def register(self, server: grpc.aio.Server) -> None:
        for service, methods in self.by_service.items():
            server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(service, methods),))
            server.add_registered_method_handlers(service, methods)


@dataclasses.dataclass
class Host:
    """A running taskrouter process: the gRPC server and what works behind it."""

    server: grpc.aio.Server
    port: int
    health: health.aio.HealthServicer
    dispatcher: Dispatcher
    sender: CallbackSender
    checkpointer: db.Checkpointer
    watcher: db.Watcher
    env: Environment
    presence: Presence
    unsubscribe: Callable[[], None]
    loop: LoopThread
    blocking: BlockingCalls
    wakeups: Wakeups
    limits: Limits
    local_channel: LocalChannel  # the servicers in-process, for the gateway beside them
    # Where a gateway of this process could reach the services over gRPC: the port itself, or with
    # TLS a Unix socket in a directory only this user can enter (no certificate check on that hop).
    local_target: str
    local_directory: str | None = None

    def stop(self, grace: float = 5.0) -> None:
        """Stops taking calls, lets in-flight ones finish within `grace` (streams are ended), then
        stops the loops."""
        self.unsubscribe()
        self.loop.run(self._stop_serving(grace))
        self.loop.close()
        self.dispatcher.stop()
        self.sender.stop()
        if self.wakeups.bus is not None:
            self.wakeups.bus.close()
        self.blocking.shutdown()
        self.checkpointer.stop()
        self.watcher.stop()
        self.env.store.close()
        if self.local_directory is not None:
            shutil.rmtree(self.local_directory, ignore_errors=True)

    async def _stop_serving(self, grace: float) -> None:
        await self.health.enter_graceful_shutdown()
        await self.server.stop(grace)


def _check_free(address: str) -> None:
    """A taken or unknown address is a one-line OSError before anything starts (gRPC's own bind
    failure is a RuntimeError after a C-level log line). A shared port (--processes) is not checked."""
    host, _, port = address.rpartition(":")
    try:
        host = host.strip("[]") or "127.0.0.1"
        with socket.create_server((host, int(port)), family=socket.AF_INET6 if ":" in host else socket.AF_INET):
            pass
    except (OSError, ValueError) as error:
        raise OSError(f"cannot listen on {address}: {getattr(error, 'strerror', None) or error}") from None


def _report_health(loop: LoopThread, health_servicer: health.aio.HealthServicer,
                   names: list[str]) -> Callable[[bool], None]:
    """Health follows the database: NOT_SERVING while it cannot be reached (docs/security.md).
    Called from any thread; the aio health servicer is set on the server's loop."""
    async def set_all(status) -> None:
        for name in names:
            await health_servicer.set(name, status)

    def report(up: bool) -> None:
        status = health_pb2.HealthCheckResponse.SERVING if up else health_pb2.HealthCheckResponse.NOT_SERVING
        asyncio.run_coroutine_threadsafe(set_all(status), loop.loop)

    return report


def create_server(address: str, database_url: str, services: list[str] | None = None, *, clock: Clock | None = None,
                  reuse_port: bool = False, tls: TlsFiles | None = None, metrics: bool = True,
                  limits: Limits | None = None, callback_deny: Iterable[Network] = ()) -> Host:
    """Opens the database, builds the server on `address` (port 0 picks a free one; over TLS with
    `tls`) and starts it. `metrics`: count into the process's Prometheus metrics
    (docs/operations.md); spans are made whenever a tracer provider is installed. `limits`: what
    the process takes on (threads, message size, streams per account, failed logins).
    `callback_deny`: address ranges callbacks are never sent to (docs/security.md)."""
    services = services or list(SERVICES)
    unknown = set(services) - set(SERVICES)
    if unknown:
        raise ValueError(f"unknown services {sorted(unknown)}; choose from {', '.join(SERVICES)}")
    limits = limits or Limits()
    if not reuse_port:
        _check_free(address)
    signal = EventSignal()
    env = Environment(store=db.connect(database_url), clock=clock or Clock(), observe=Observer(metrics_on=metrics))
    presence = Presence(env)
    dispatcher = Dispatcher(env, sweeps=[presence.sweep])
    sender = CallbackSender(env, destination=Destination(callback_deny))
    wakeups = Wakeups(dispatcher, sender, signal)

    def wake(workspace_sid: str, queue_sid: str | None = None) -> None:
        env.observe.woke(workspace_sid)  # the pass joins the trace of the call that woke it
        wakeups.wake(workspace_sid, queue_sid)

    env.wake, env.notify, env.expect_delivery = wake, wakeups.notify, sender.expect
    wakeups.bus = wake_bus.open_bus(database_url, wakeups.remote, wakeups.everything)
    if metrics:
        exposition.add_collector(collectors.DatabaseCollector(env.clock))
    blocking = BlockingCalls(limits.threads, env.store)
    feed = StatisticsFeed(reports.live_update, env.clock)
    servicers = {
        "configuration": lambda: ConfigurationServicer(env, feed, signal, blocking),
        "workforce": lambda: WorkforceServicer(env),
        "workflow": lambda: WorkflowServicer(env),
        "tasks": lambda: TaskServicer(env, signal, blocking, limits.stream_poll_seconds, presence),
    }
    table = HandlerTable()
    names = []
    for name in services:
        module, grpc_module, service = SERVICES[name]
        getattr(grpc_module, f"add_{service}Servicer_to_server")(servicers[name](), table)
        names.append(module.DESCRIPTOR.services_by_name[service].full_name)
    # The observing interceptor first: it sees the answer of every layer after it.
    interceptors: list[grpc.aio.ServerInterceptor] = [ObservingAioInterceptor(env.observe)] if (
        metrics or tracing.active()) else []
    interceptors.append(ApiInterceptor(blocking, StreamQuota(limits.max_streams_per_account),
                                       Authenticator(limits, clock=env.clock),
                                       schemes={sigv4.SCHEME: sigv4_accounts.authenticate}))
    loop = LoopThread("grpc-server")
    try:
        server, port, health_servicer, local_target, local_directory = loop.run(
            _start(address, table, interceptors, names, reuse_port, limits, tls))
    except BaseException:
        loop.close()
        blocking.shutdown()
        env.store.close()
        if wakeups.bus is not None:
            wakeups.bus.close()
        raise
    unsubscribe = env.store.availability.subscribe(_report_health(loop, health_servicer, ["", *names]))
    checkpointer = db.Checkpointer(env.store)
    checkpointer.start()
    watcher = db.Watcher(env.store)
    watcher.start()
    dispatcher.start()
    sender.start()
    return Host(server=server, port=port, health=health_servicer, dispatcher=dispatcher, sender=sender,
                checkpointer=checkpointer, watcher=watcher, env=env, presence=presence, unsubscribe=unsubscribe,
                loop=loop,
                blocking=blocking, wakeups=wakeups, limits=limits,
                local_channel=LocalChannel(table.by_path(), interceptors), local_target=local_target,
                local_directory=local_directory)


async def _start(address: str, table: HandlerTable, interceptors: list, names: list[str], reuse_port: bool,
                 limits: Limits, tls: TlsFiles | None):
    """Builds and starts the aio server; runs on its loop (grpc.aio binds to the running loop)."""
    options = [("grpc.so_reuseport", 1 if reuse_port else 0), *message_options(limits.max_message_bytes)]
    server = grpc.aio.server(interceptors=interceptors, options=options)
    table.register(server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in ["", *names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection([health.SERVICE_NAME, reflection.SERVICE_NAME, *names], server)
    port = server.add_secure_port(address, tls.server_credentials()) if tls else server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"cannot listen on {address}")
    local_target, local_directory = f"127.0.0.1:{port}", None
    if tls is not None:
        local_directory = tempfile.mkdtemp(prefix="taskrouter-")
        local_target = f"unix:{local_directory}/grpc.sock"
        server.add_insecure_port(local_target)
    await server.start()
    return server, port, health_servicer, local_target, local_directory
