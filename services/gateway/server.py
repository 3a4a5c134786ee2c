"""Serving the gateway: uvicorn (httptools, uvloop when present) on a background thread."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import uvicorn

from taskrouter.server.gateway.app import GatewayApp, create_app
from taskrouter.server.gateway.header_timeout import HEADER_TIMEOUT, protocol_with_header_timeout
from taskrouter.server.observability.http_observation import ObservedApp
from taskrouter.server.tls import TlsFiles

log = logging.getLogger(__name__)

try:  # uvloop is optional: uvicorn[standard] brings it where it builds (not on Windows)
    import uvloop

    _loop_factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
    _LOOP_NAME = "uvloop"
except ImportError:  # pragma: no cover - installed here
    _loop_factory = asyncio.new_event_loop
    _LOOP_NAME = "asyncio"


def _bind(host: str, port: int, reuse_port: bool = False) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:  # several processes share the port on purpose (`serve --processes N`)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


class HttpGateway:
    """The HTTP shim in front of `grpc_target`, served from its own thread and event loop."""

    def __init__(
        self,
        grpc_target: str,
        host: str = "127.0.0.1",
        port: int = 8080,
        *,
        reuse_port: bool = False,
        tls: TlsFiles | None = None,
        metrics: bool = True,
        serve_metrics: bool = True,
        header_timeout: float = HEADER_TIMEOUT,
        **app_options: Any,
    ):
        """`tls`: serve HTTPS with this certificate and key. `metrics`: count requests into the
        process's Prometheus metrics; `serve_metrics`: answer GET /metrics here. `header_timeout`:
        seconds a request may take to send its headers. `app_options` go to create_app
        (max_body_bytes, request_timeout, heartbeat_interval, channel_credentials, ...)."""
        self.grpc_target = grpc_target
        self.header_timeout = header_timeout
        self.reuse_port = reuse_port
        self.tls = tls
        self.host = host
        self._requested_port = port
        self._app_options = app_options
        self._metrics, self._serve_metrics = metrics, serve_metrics
        self.app: GatewayApp | None = None
        self._server: uvicorn.Server | None = None
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._error: BaseException | None = None
        self._bound_port = 0

    @property
    def port(self) -> int:
        """The bound port (the real one when constructed with port 0)."""
        return self._bound_port or self._requested_port

    @property
    def url(self) -> str:
        host = self.host if ":" not in self.host else f"[{self.host}]"
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    def start(self, timeout: float = 10.0) -> HttpGateway:
        """Returns once the server is listening; raises if it could not start."""
        if self._thread is not None:
            raise RuntimeError("gateway already started")
        self.app = create_app(self.grpc_target, **self._app_options)
        self._sock = _bind(self.host, self._requested_port, self.reuse_port)
        self._bound_port = self._sock.getsockname()[1]
        config = uvicorn.Config(
            ObservedApp(self.app, metrics_on=self._metrics, serve_metrics=self._serve_metrics),
            http=protocol_with_header_timeout(self.header_timeout),
            ws="none",
            loop=_LOOP_NAME,
            lifespan="on",
            access_log=False,
            log_config=None,
            log_level="warning",
            timeout_graceful_shutdown=5,
            server_header=False,
            ssl_certfile=self.tls.cert if self.tls else None,
            ssl_keyfile=self.tls.key if self.tls else None,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, name="taskrouter-http-gateway", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"HTTP gateway failed to start on {self.host}:{self.port}") from self._error
            time.sleep(0.005)
        return self

    def _run(self) -> None:
        try:
            with asyncio.Runner(loop_factory=_loop_factory) as runner:
                self._loop = runner.get_loop()
                assert self._server is not None and self._sock is not None  # set by start()
                runner.run(self._server.serve(sockets=[self._sock]))
        except BaseException as err:  # noqa: BLE001 - SystemExit from a failed lifespan startup, among others
            self._error = err
            log.error("HTTP gateway stopped: %r", err)

    def stop(self, timeout: float = 10.0) -> None:
        """Ends open event streams, stops accepting, waits for the thread."""
        if self._thread is None:
            return
        loop, app = self._loop, self.app
        if loop is not None and app is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(app.begin_shutdown)
        if self._server is not None:
            self._server.should_exit = True
        self._thread.join(timeout)
        if self._thread.is_alive() and self._server is not None:
            self._server.force_exit = True
            self._thread.join(timeout)
        self._thread = None
        if self._sock is not None:
            self._sock.close()

    def __enter__(self) -> HttpGateway:
        return self.start() if self._thread is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def run_gateway(
    grpc_target: str,
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    on_ready: Callable[[HttpGateway], None] | None = None,
    reuse_port: bool = False,
    tls: TlsFiles | None = None,
    **app_options: Any,
) -> None:
    """Serve until SIGINT or SIGTERM (call from the main thread); `on_ready` gets the started gateway."""
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    gateway = HttpGateway(grpc_target, host, port, reuse_port=reuse_port, tls=tls, **app_options)
    try:
        gateway.start()
        if on_ready is not None:
            on_ready(gateway)
        while not stop.wait(0.5):
            if gateway._thread is None or not gateway._thread.is_alive():
                raise RuntimeError("HTTP gateway stopped unexpectedly") from gateway._error
    finally:
        gateway.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
