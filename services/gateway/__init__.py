"""The HTTP/JSON shim: routes derived from the protos' `google.api.http` annotations, the seed's
JSON envelope and error bodies, Server-Sent Events for streams, and an OpenAPI document.

The gateway knows nothing but protos and gRPC; see docs/http.md.
"""

from taskrouter.server.gateway.app import GatewayApp, create_app
from taskrouter.server.gateway.server import HttpGateway, run_gateway

__all__ = ["GatewayApp", "HttpGateway", "create_app", "run_gateway"]
