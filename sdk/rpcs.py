"""The SDK's method table, read from the protos' service descriptors at import: one entry per RPC
of the four services, so a new RPC is a new method without a line written here."""

from __future__ import annotations

import dataclasses
import re

from google.protobuf import message_factory
from google.protobuf.descriptor import Descriptor, MethodDescriptor
from google.protobuf.message import Message

from taskrouter.client.requests import is_repeated
from taskrouter.v1 import (
    configuration_service_pb2,
    task_service_pb2,
    workflow_service_pb2,
    workforce_service_pb2,
)

SERVICES = (
    (configuration_service_pb2, "ConfigurationService"),
    (workforce_service_pb2, "WorkforceService"),
    (workflow_service_pb2, "WorkflowService"),
    (task_service_pb2, "TaskService"),
)
# Calls that change nothing: safe to send again when the server was unavailable.
IDEMPOTENT_PREFIXES = ("Get", "List", "Watch")
# The initial metadata of an event stream naming the event it starts after (see the server's
# tasks servicer): a stream that delivered nothing yet still resumes without a gap.
POSITION_METADATA = "taskrouter-last-event-id"


def snake_case(name: str) -> str:
    """CreateTaskQueue -> create_task_queue; EnableSigV4 -> enable_sig_v4."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


@dataclasses.dataclass(frozen=True)
class Rpc:
    name: str  # the client method: snake_case of the RPC
    path: str  # /taskrouter.v1.Service/Method
    method: MethodDescriptor
    request_class: type[Message]
    response_class: type[Message]

    @property
    def streaming(self) -> bool:
        return self.method.server_streaming

    @property
    def idempotent(self) -> bool:
        return self.method.name.startswith(IDEMPOTENT_PREFIXES)

    @property
    def resumable(self) -> bool:
        """A stream of events that can start after a given one (WatchEvents, WatchWorker)."""
        return self.streaming and "after_id" in self.method.input_type.fields_by_name

    @property
    def page_field(self) -> str | None:
        """For a paged List RPC: the repeated field holding a page's items."""
        output: Descriptor = self.method.output_type
        if not self.method.name.startswith("List") or "num_pages" not in output.fields_by_name:
            return None
        repeated = [f.name for f in output.fields if is_repeated(f) and f.message_type is not None]
        return repeated[0] if len(repeated) == 1 else None

    @property
    def iter_name(self) -> str | None:
        """The iterator twin of a paged List RPC: list_workspaces -> iter_workspaces."""
        return "iter_" + self.name[len("list_"):] if self.page_field else None


def _rpcs() -> dict[str, Rpc]:
    table: dict[str, Rpc] = {}
    for module, service in SERVICES:
        descriptor = module.DESCRIPTOR.services_by_name[service]
        for method in descriptor.methods:
            rpc = Rpc(name=snake_case(method.name), path=f"/{descriptor.full_name}/{method.name}", method=method,
                      request_class=message_factory.GetMessageClass(method.input_type),
                      response_class=message_factory.GetMessageClass(method.output_type))
            assert rpc.name not in table, f"two RPCs named {rpc.name}"
            table[rpc.name] = rpc
    return table


RPCS: dict[str, Rpc] = _rpcs()
