"""taskrouter.client: the Python SDK. Every RPC of the four services is a method of Client (and,
as a coroutine, of AsyncClient), generated from the protos' descriptors; see docs/clients.md.

    from taskrouter.client import Client
    client = Client("127.0.0.1:50051", account_sid="AC...", auth_token="...")
    workspace = client.create_workspace(enterprise_sid="EN...", name="Support")
"""

from taskrouter.client.aio import AsyncClient
from taskrouter.client.client import Client
from taskrouter.client.errors import TaskRouterError
from taskrouter.client.retry import RetryPolicy
from taskrouter.client.streams import AsyncEventStream, EventStream

__all__ = ["AsyncClient", "AsyncEventStream", "Client", "EventStream", "RetryPolicy", "TaskRouterError"]
