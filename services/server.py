"""Hosting: one process serves any subset of the four services, plus the routing loop and the
callback sender, over one database."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import shutil
import socket
import tempfile
from collections.abc import Callable

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from taskrouter.server.clock import Clock
from taskrouter.server.configuration.servicer import ConfigurationServicer
from taskrouter.server.interceptor import ApiInterceptor
from taskrouter.server.observability import collectors, exposition, tracing
from taskrouter.server.observability.observer import Observer
from taskrouter.server.observability.rpc_observation import ObservingInterceptor
from taskrouter.server.routing.callbacks import CallbackSender
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.dispatcher import Dispatcher
from taskrouter.server.store import db
from taskrouter.server.tasks.servicer import EventSignal, TaskServicer
from taskrouter.server.tls import TlsFiles
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
MAX_MESSAGE_BYTES = 4 * 1024 * 1024


@dataclasses.dataclass
class Host:
    """A running taskrouter process: the gRPC server and what works behind it."""

    server: grpc.Server
    port: int
    health: health.HealthServicer
    dispatcher: Dispatcher
    sender: CallbackSender
    checkpointer: db.Checkpointer
    watcher: db.Watcher
    env: Environment
    unsubscribe: Callable[[], None]
    # Where this process's own HTTP gateway reaches the services: the port itself, or with TLS a Unix
    # socket in a directory only this user can enter (no certificate check on the local hop).
    local_target: str
    local_directory: str | None = None

    def stop(self, grace: float = 5.0) -> None:
        """Stops taking calls, lets in-flight ones finish within `grace`, then stops the loops."""
        self.unsubscribe()
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait()
        self.dispatcher.stop()
        self.sender.stop()
        self.checkpointer.stop()
        self.watcher.stop()
        db.close()
        if self.local_directory is not None:
            shutil.rmtree(self.local_directory, ignore_errors=True)


def _report_health(health_servicer: health.HealthServicer, names: list[str]) -> Callable[[bool], None]:
    """Health follows the database: NOT_SERVING while it cannot be reached (docs/security.md)."""
    def report(up: bool) -> None:
        status = health_pb2.HealthCheckResponse.SERVING if up else health_pb2.HealthCheckResponse.NOT_SERVING
        for name in names:
            health_servicer.set(name, status)

    return report


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


def create_server(address: str, database_url: str, services: list[str] | None = None, *, clock: Clock | None = None,
                  reuse_port: bool = False, threads: int = 32, tls: TlsFiles | None = None,
                  metrics: bool = True) -> Host:
    """Opens the database, builds the server on `address` (port 0 picks a free one; over TLS with
    `tls`) and starts it. `metrics`: count into the process's Prometheus metrics
    (docs/operations.md); spans are made whenever a tracer provider is installed."""
    services = services or list(SERVICES)
    unknown = set(services) - set(SERVICES)
    if unknown:
        raise ValueError(f"unknown services {sorted(unknown)}; choose from {', '.join(SERVICES)}")
    if not reuse_port:
        _check_free(address)
    db.connect(database_url)
    signal = EventSignal()
    env = Environment(clock=clock or Clock(), observe=Observer(metrics_on=metrics))
    dispatcher = Dispatcher(env)
    sender = CallbackSender(env)

    def wake(workspace_sid: str, queue_sid: str | None = None) -> None:
        env.observe.woke(workspace_sid)  # the pass joins the trace of the call that woke it
        dispatcher.wake(workspace_sid, queue_sid)

    env.wake = wake
    if metrics:
        exposition.add_collector(collectors.DatabaseCollector(env.clock))

    def notify() -> None:
        signal.fire()
        sender.notify()

    env.notify = notify
    env.expect_delivery = sender.expect
    server = grpc.server(
        concurrent.futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="rpc"),
        # The observing interceptor first: it sees the answer of every layer after it.
        interceptors=([ObservingInterceptor(env.observe)] if metrics or tracing.active() else []) + [ApiInterceptor()],
        options=[("grpc.so_reuseport", 1 if reuse_port else 0),
                 ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)],
        maximum_concurrent_rpcs=threads * 16,
    )
    servicers = {
        "configuration": lambda: ConfigurationServicer(env),
        "workforce": lambda: WorkforceServicer(env),
        "workflow": lambda: WorkflowServicer(env),
        "tasks": lambda: TaskServicer(env, signal),
    }
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = [health.SERVICE_NAME, reflection.SERVICE_NAME]
    for name in services:
        module, grpc_module, service = SERVICES[name]
        getattr(grpc_module, f"add_{service}Servicer_to_server")(servicers[name](), server)
        names.append(module.DESCRIPTOR.services_by_name[service].full_name)
    report = _report_health(health_servicer, ["", *names[2:]])
    report(True)
    unsubscribe = db.availability.subscribe(report)
    reflection.enable_server_reflection(names, server)
    port = server.add_secure_port(address, tls.server_credentials()) if tls else server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"cannot listen on {address}")
    local_target, local_directory = f"127.0.0.1:{port}", None
    if tls is not None:
        local_directory = tempfile.mkdtemp(prefix="taskrouter-")
        local_target = f"unix:{local_directory}/grpc.sock"
        server.add_insecure_port(local_target)
    server.start()
    checkpointer = db.Checkpointer()
    checkpointer.start()
    watcher = db.Watcher()
    watcher.start()
    dispatcher.start()
    sender.start()
    return Host(server=server, port=port, health=health_servicer, dispatcher=dispatcher, sender=sender,
                checkpointer=checkpointer, watcher=watcher, env=env, unsubscribe=unsubscribe,
                local_target=local_target, local_directory=local_directory)
