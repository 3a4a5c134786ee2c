"""The ASGI application: HTTP/JSON in, gRPC out, written directly against the ASGI spec."""

from __future__ import annotations

import asyncio
import codecs
import json
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import grpc

from taskrouter.server import json_depth
from taskrouter.server.gateway import dashboard
from taskrouter.server.gateway.cors import CorsPolicy
from taskrouter.server.gateway.error_mapping import ErrorResponse, GatewayError, error_from_aio, restyle
from taskrouter.server.gateway.event_stream import serve_stream
from taskrouter.server.gateway.media import (
    JSON,
    XML,
    XmlBodyError,
    is_xml,
    looks_like_xml,
    negotiate,
    value_to_xml,
    xml_to_value,
)
from taskrouter.server.gateway.openapi import openapi_document
from taskrouter.server.gateway.rendering import dumps, envelope, int64_plan, message_to_json
from taskrouter.server.gateway.routes import Route, RouteTable, default_modules, routes_from_modules
from taskrouter.server.gateway.transcoding import build_request, field_index, require_object
from taskrouter.server.limits import MAX_BODY_BYTES, MAX_MESSAGE_BYTES, message_options
from taskrouter.server.observability.http_observation import ROUTE_KEY, forwarded_metadata

log = logging.getLogger(__name__)

REQUEST_TIMEOUT = 30.0
HEARTBEAT_INTERVAL = 15.0
# How long a stream may stay silent (no headers, no message) before the gateway answers 200 anyway.
STREAM_START_WAIT = 0.5
MAX_FORM_FIELDS = 1000
# gRPC refuses metadata over 8 KiB; Basic credentials are ~100 characters.
MAX_AUTHORIZATION_CHARS = 4096
OPENAPI_PATH = "/openapi.json"

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
# The hook of an Authorization scheme whose signature covers the HTTP request itself: the gateway
# holds no secrets, so (Authorization header, scope, lower-cased headers, raw body) -> the metadata
# the services verify the signature from.
SignedRequestHook = Callable[[str, Scope, dict[str, str], bytes], dict[str, str]]


class _ClientGone(Exception):
    """The client disconnected before we answered."""


def _header_value_ok(value: str) -> bool:
    return all(0x20 <= ord(c) < 0x7F for c in value)


class GatewayApp:
    """Routes every request by the proto's `google.api.http` annotations to one gRPC target, or,
    beside the services in one process, to their in-process channel (`channel`: no second hop)."""

    def __init__(
        self,
        grpc_target: str,
        *,
        modules: Iterable[ModuleType] | None = None,
        max_body_bytes: int = MAX_BODY_BYTES,
        request_timeout: float | None = REQUEST_TIMEOUT,
        heartbeat_interval: float = HEARTBEAT_INTERVAL,
        stream_start_wait: float = STREAM_START_WAIT,
        channel_options: Sequence[tuple[str, Any]] = (),
        max_message_bytes: int = MAX_MESSAGE_BYTES,
        channel: Any = None,
        channel_credentials: grpc.ChannelCredentials | None = None,
        cors_origins: Iterable[str] = (),
        signed_schemes: Mapping[str, SignedRequestHook] | None = None,
    ):
        """`channel_credentials`: reach `grpc_target` over TLS (a remote `serve --tls-cert`).
        `signed_schemes`: the hook of each Authorization scheme that signs the request (by scheme name)."""
        self.grpc_target = grpc_target
        self.signed_schemes = dict(signed_schemes or {})
        self.channel_credentials = channel_credentials
        self.cors = CorsPolicy(cors_origins)
        self.routes = RouteTable(routes_from_modules(modules if modules is not None else default_modules()))
        self.max_body_bytes = max_body_bytes
        self.request_timeout = request_timeout
        self.heartbeat_interval = heartbeat_interval
        self.stream_start_wait = stream_start_wait
        # The server's message limit, unless the caller says otherwise (grpc's default is 4 MB).
        self.channel_options = [*message_options(max_message_bytes), *channel_options]
        self._local = channel
        for route in self.routes.routes:  # precompute per message type, not per request
            int64_plan(route.method.output_type)
            field_index(route.method.input_type)
        self.openapi = openapi_document(self.routes.routes)
        self._openapi_bytes = dumps(self.openapi)
        self._channel: grpc.aio.Channel | None = None
        self._calls: dict[str, Any] = {}
        self._closing = asyncio.Event()

    # -- lifecycle -------------------------------------------------------------------------

    def _ensure_channel(self) -> None:
        """Create the channel and one multicallable per RPC, inside the serving event loop."""
        if self._channel is not None:
            return
        if self._local is not None:
            channel = self._local
        elif self.channel_credentials is not None:
            channel = grpc.aio.secure_channel(self.grpc_target, self.channel_credentials, options=self.channel_options)
        else:
            channel = grpc.aio.insecure_channel(self.grpc_target, options=self.channel_options)
        calls: dict[str, Any] = {}
        for route in self.routes.routes:
            if route.rpc_path in calls:
                continue
            factory = channel.unary_stream if route.server_streaming else channel.unary_unary
            calls[route.rpc_path] = factory(
                route.rpc_path,
                request_serializer=route.request_class.SerializeToString,
                response_deserializer=route.response_class.FromString,
            )
        self._channel, self._calls = channel, calls

    def begin_shutdown(self) -> None:
        """Ends open event streams so the server can stop; call on the serving loop."""
        self._closing.set()

    async def aclose(self) -> None:
        self._closing.set()
        if self._channel is not None:
            channel, self._channel, self._calls = self._channel, None, {}
            await channel.close()

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    self._ensure_channel()
                except Exception as err:  # noqa: BLE001 - a bad target string, for one: startup fails with it
                    await send({"type": "lifespan.startup.failed", "message": str(err)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # -- HTTP ------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "http":
            await self._http(scope, receive, send)
        elif kind == "lifespan":
            await self._lifespan(receive, send)
        elif kind == "websocket":
            await send({"type": "websocket.close", "code": 1000})

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        send = self.cors.wrap(send, headers.get("origin", ""))

        async def tracked_send(message: dict[str, Any]) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        method = scope["method"]
        raw_path = (scope.get("raw_path") or scope["path"].encode()).split(b"?", 1)[0]
        path = raw_path.decode("latin-1")
        route = None
        media = JSON
        try:
            if method == "OPTIONS":
                static = RouteTable.normalize(path) == OPENAPI_PATH or dashboard.is_dashboard(path)
                allowed = ["GET"] if static else self.routes.allowed(path)
                if not allowed:
                    raise GatewayError(404, f"No route for {method} {path}", path)
                await self.cors.preflight(tracked_send, allowed, headers.get("origin", ""),
                                          headers.get("access-control-request-headers", ""))
                return
            if RouteTable.normalize(path) == OPENAPI_PATH:
                scope[ROUTE_KEY] = OPENAPI_PATH
                await self._serve_openapi(method, tracked_send)
                return
            if dashboard.is_dashboard(path):
                content, content_type = dashboard.asset(method, path)
                await _send_body(tracked_send, 200, content, dashboard.HEADERS, body=method == "GET",
                                 content_type=content_type)
                return
            route, path_params = self.routes.match(method, path)
            scope[ROUTE_KEY] = route.template  # the route label of the HTTP metrics and spans
            if route.response.speaks_xml:
                media = _acceptable(headers.get("accept"))
            self._ensure_channel()
            if route.server_streaming:
                await self._stream(route, path_params, scope, headers, receive, tracked_send)
            else:
                await self._unary(route, path_params, scope, headers, receive, tracked_send, media)
        except GatewayError as err:
            response = err.response
            if route is not None:
                response = restyle(response, route.response.error_style, route.response.error_status)
            await _send_error(tracked_send, response, err.extra_headers, _error_root(route, media))
        except _ClientGone:
            pass
        except Exception:
            log.exception("gateway bug on %s %s", method, path)
            if not started:
                await _send_error(tracked_send, ErrorResponse(500, "500", "Internal gateway error"))

    async def _serve_openapi(self, method: str, send: Send) -> None:
        if method not in ("GET", "HEAD"):
            raise GatewayError(405, f"Method {method} is not allowed on {OPENAPI_PATH}; use GET", OPENAPI_PATH,
                               headers=[("allow", "GET, HEAD")])
        await _send_body(send, 200, self._openapi_bytes, body=method == "GET")

    def _metadata(self, headers: dict[str, str], scope: Scope, raw_body: bytes) -> tuple[tuple[str, str], ...] | None:
        auth = headers.get("authorization")
        if auth is None:
            return forwarded_metadata() or None
        if len(auth) > MAX_AUTHORIZATION_CHARS:
            raise GatewayError(431, f"Authorization header is longer than {MAX_AUTHORIZATION_CHARS} characters")
        if not _header_value_ok(auth):
            raise GatewayError(401, "Malformed Authorization header: use Basic with the account SID and token")
        scheme, separator, _ = auth.partition(" ")
        signed = self.signed_schemes.get(scheme) if separator else None
        if signed is not None:
            covered = signed(auth, scope, headers, raw_body)
            if any(len(v) > MAX_SIGNED_METADATA_CHARS or not _header_value_ok(v) for v in covered.values()):
                raise GatewayError(431, "The signed request headers are too large")
            return (("authorization", auth), *covered.items(), *forwarded_metadata())
        client = scope.get("client")
        # Failed logins are throttled per client address (services/authentication.py).
        client_address = ((CLIENT_METADATA_KEY, str(client[0])),) if client else ()
        return (("authorization", auth), *client_address, *forwarded_metadata())

    @staticmethod
    def _query(scope: Scope) -> list[tuple[str, str]]:
        qs = scope.get("query_string", b"").decode("utf-8", "replace")
        try:
            return parse_qsl(qs, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
        except ValueError as err:
            raise GatewayError(400, f"Invalid query string: {err}") from None

    async def _prepare(self, route: Route, path_params, scope: Scope, headers: dict[str, str], receive: Receive,
                       last_event_id: str | None = None):
        """The request message (query, body, path, Last-Event-ID) and the metadata to call with."""
        body, form, raw = (None, None, b"")
        if route.body:
            body, form, raw = await self._read_body(route, headers, receive)
        metadata = self._metadata(headers, scope, raw)
        request = build_request(route, path_params, self._query(scope), body, form, last_event_id, headers)
        return request, metadata

    async def _unary(
        self, route: Route, path_params, scope: Scope, headers: dict[str, str], receive: Receive, send: Send,
        media: str = JSON,
    ) -> None:
        request, metadata = await self._prepare(route, path_params, scope, headers, receive)
        rule = route.response
        try:
            response = await self._calls[route.rpc_path](request, metadata=metadata, timeout=self.request_timeout)
        except grpc.aio.AioRpcError as err:
            await _send_error(send, error_from_aio(err, rule.error_style, rule.error_status), (),
                              _error_root(route, media))
            return
        data: Any = message_to_json(response)  # the response_body field's value may be any JSON value
        if route.response_body:
            data = data.get(route.method.output_type.fields_by_name[route.response_body].json_name)
        extra = rule.render_headers(data, _base_url(scope, headers)) if rule.headers else ()
        if media == XML:
            value = rule.body(data) if rule.style == "raw" else {"data": rule.body(data), "code": 200, "message": "OK"}
            await _send_body(send, rule.success_status, value_to_xml(rule.xml_root, value), extra, content_type=XML)
        elif rule.style == "raw":
            await _send_body(send, rule.success_status, dumps(rule.body(data)), extra)
        else:
            await _send_body(send, rule.success_status, envelope(rule.body(data)), extra)

    async def _stream(
        self, route: Route, path_params, scope: Scope, headers: dict[str, str], receive: Receive, send: Send
    ) -> None:
        request, metadata = await self._prepare(route, path_params, scope, headers, receive,
                                                headers.get("last-event-id") or None)
        call = self._calls[route.rpc_path](request, metadata=metadata)

        async def send_error(error: ErrorResponse) -> None:
            await _send_error(send, error)

        await serve_stream(
            call, receive, send, send_error, self.heartbeat_interval, self._closing, self.stream_start_wait
        )

    async def _read_body(self, route: Route, headers: dict[str, str], receive: Receive):
        """(parsed JSON, None, raw) or (None, form pairs, raw), enforcing content type and size."""
        media, _, params = headers.get("content-type", "").partition(";")
        media = media.strip().lower()
        charset = "utf-8"
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "charset" and value.strip():
                charset = value.strip().strip('"').lower()
        xml = route.response.speaks_xml
        if media in ("", "application/json") or media.endswith("+json"):
            kind = "json"
        elif media == "application/x-www-form-urlencoded":
            kind = "form"
        elif xml and is_xml(media):
            kind = "xml"
        elif xml and media == "text/plain":
            kind = "text"  # JSON or XML, by its first character
        else:
            accepted = "application/json, application/xml" if xml else "application/json"
            raise GatewayError(
                415,
                f"Unsupported Content-Type {media!r}: send {accepted} or application/x-www-form-urlencoded",
                media,
            )
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            raise GatewayError(415, f"Unsupported charset {charset!r}", charset) from None
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            raise self._too_large()
        try:  # a body trickled in slowly would hold the connection for ever
            raw = await asyncio.wait_for(self._receive_body(receive), self.request_timeout)
        except TimeoutError:
            raise GatewayError(408, f"Request body not received within {self.request_timeout:g} s") from None
        # curl -d sends form content type by default; a body that is clearly JSON is read as JSON.
        if kind in ("form", "text") and raw.lstrip().startswith(b"{"):
            kind = "json"
        elif kind in ("form", "text") and xml and looks_like_xml(raw):
            kind = "xml"
        elif kind == "text":
            raise GatewayError(415, "A text/plain body must be a JSON object or an XML document", media)
        if kind == "xml":
            if not raw.strip():
                return {}, None, raw
            try:
                return xml_to_value(raw), None, raw
            except XmlBodyError as err:
                raise GatewayError(400, str(err)) from None
        try:
            text = raw.decode("utf-8-sig" if codec == "utf-8" else codec)
        except UnicodeDecodeError:
            raise GatewayError(400, f"Request body is not valid {charset}") from None
        if kind == "form":
            try:
                return None, parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS), raw
            except ValueError as err:
                raise GatewayError(400, f"Invalid form body: {err}") from None
        if not text.strip():
            return {}, None, raw
        try:
            value = json_depth.loads(text, json_depth.MAX_BODY_DEPTH)
        except json_depth.TooDeep as err:
            raise GatewayError(400, f"Malformed JSON body: {err}") from None
        except json.JSONDecodeError as err:
            raise GatewayError(
                400, f"Malformed JSON body: {err.msg} at line {err.lineno} column {err.colno} (char {err.pos})"
            ) from None
        except RecursionError:
            raise GatewayError(400, "Malformed JSON body: nested too deeply") from None
        if route.body == "*" or value is None:
            require_object(value)
        return value, None, raw

    def _too_large(self) -> GatewayError:
        return GatewayError(413, f"Request body is larger than {self.max_body_bytes} bytes", str(self.max_body_bytes))

    async def _receive_body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _ClientGone()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                raise self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


async def _send_body(
    send: Send, status: int, payload: bytes, extra_headers: Iterable[tuple[str, str]] = (), body: bool = True,
    content_type: str = JSON,
) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(payload)).encode())]
    headers.extend((k.encode("latin-1"), v.encode("latin-1")) for k, v in extra_headers)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload if body else b""})


async def _send_error(send: Send, error: ErrorResponse, extra_headers: Iterable[tuple[str, str]] = (),
                      xml_root: str = "") -> None:
    """The error as JSON, or as XML under `xml_root` when the client asked for XML."""
    await _send_body(send, error.status, error.body_bytes(xml_root), [*error.headers(), *extra_headers],
                     content_type=XML if xml_root else JSON)


def _acceptable(accept: str | None) -> str:
    """JSON or XML, as the Accept header prefers, on a route that speaks both; else 406."""
    media = negotiate(accept)
    if media is None:
        raise GatewayError(406, f"Not acceptable: {accept!r}. This resource is available as {JSON} or {XML}",
                           accept or "")
    return media


def _error_root(route: Route | None, media: str) -> str:
    return route.response.xml_error_root if route is not None and media == XML else ""


def _base_url(scope: Scope, headers: dict[str, str]) -> str:
    """scheme://host of the request, for header templates ({base_url})."""
    host = headers.get("host")
    if not host:
        server = scope.get("server") or ("localhost", None)
        host = server[0] if server[1] is None else f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}"


# The address of the gateway's client, for the services' throttling of failed logins.
CLIENT_METADATA_KEY = "x-taskrouter-client"
# gRPC caps all metadata at 8 KiB.
MAX_SIGNED_METADATA_CHARS = 4096


def create_app(grpc_target: str, **options: Any) -> GatewayApp:
    """The gateway as an ASGI callable; options: max_body_bytes, request_timeout, heartbeat_interval,
    stream_start_wait, channel_options, max_message_bytes, channel (in-process), channel_credentials, modules,
    cors_origins, signed_schemes. The gRPC channel is created in the serving loop (lifespan startup or
    first request)."""
    return GatewayApp(grpc_target, **options)
