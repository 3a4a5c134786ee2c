"""Hosting: one process serves any subset of the four services, plus the routing loop and the
callback sender, over one database."""

from __future__ import annotations

import concurrent.futures
import dataclasses
import socket

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from taskrouter.server.clock import Clock
from taskrouter.server.configuration.servicer import ConfigurationServicer
from taskrouter.server.interceptor import ApiInterceptor
from taskrouter.server.routing.callbacks import CallbackSender
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.dispatcher import Dispatcher
from taskrouter.server.routing.presence import Presence
from taskrouter.server.store import db
from taskrouter.server.tasks.servicer import EventSignal, TaskServicer
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
    env: Environment
    presence: Presence

    def stop(self, grace: float = 5.0) -> None:
        """Stops taking calls, lets in-flight ones finish within `grace`, then stops the loops."""
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait()
        self.dispatcher.stop()
        self.sender.stop()
        self.checkpointer.stop()
        db.close()


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
                  reuse_port: bool = False, threads: int = 32) -> Host:
    """Opens the database, builds the server on `address` (port 0 picks a free one) and starts it."""
    services = services or list(SERVICES)
    unknown = set(services) - set(SERVICES)
    if unknown:
        raise ValueError(f"unknown services {sorted(unknown)}; choose from {', '.join(SERVICES)}")
    if not reuse_port:
        _check_free(address)
    db.connect(database_url)
    signal = EventSignal()
    env = Environment(clock=clock or Clock())
    presence = Presence(env)
    dispatcher = Dispatcher(env, sweeps=[presence.sweep])
    sender = CallbackSender(env)
    env.wake = dispatcher.wake

    def notify() -> None:
        signal.fire()
        sender.notify()

    env.notify = notify
    env.expect_delivery = sender.expect
    server = grpc.server(
        concurrent.futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="rpc"),
        interceptors=[ApiInterceptor(env.clock)],
        options=[("grpc.so_reuseport", 1 if reuse_port else 0),
                 ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)],
        maximum_concurrent_rpcs=threads * 16,
    )
    servicers = {
        "configuration": lambda: ConfigurationServicer(env),
        "workforce": lambda: WorkforceServicer(env),
        "workflow": lambda: WorkflowServicer(env),
        "tasks": lambda: TaskServicer(env, signal, presence),
    }
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    names = [health.SERVICE_NAME, reflection.SERVICE_NAME]
    for name in services:
        module, grpc_module, service = SERVICES[name]
        getattr(grpc_module, f"add_{service}Servicer_to_server")(servicers[name](), server)
        full_name = module.DESCRIPTOR.services_by_name[service].full_name
        names.append(full_name)
        health_servicer.set(full_name, health_pb2.HealthCheckResponse.SERVING)
    health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection(names, server)
    port = server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"cannot listen on {address}")
    server.start()
    checkpointer = db.Checkpointer()
    checkpointer.start()
    dispatcher.start()
    sender.start()
    return Host(server=server, port=port, health=health_servicer, dispatcher=dispatcher, sender=sender,
                checkpointer=checkpointer, env=env, presence=presence)
