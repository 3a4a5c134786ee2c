"""Serving the metrics: the Prometheus text format (or OpenMetrics, when asked) from this process,
or from every process of `serve --processes N` at once.

Under `--processes N` the parent makes a fresh directory and hands it to the processes as
PROMETHEUS_MULTIPROC_DIR before they import prometheus-client, which then keeps each process's
values in files there; a scrape of any process reads them all (prometheus-client's multiprocess
mode). Gauges read from the database are added by the answering process only."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
from wsgiref.simple_server import WSGIRequestHandler

from prometheus_client import REGISTRY, CollectorRegistry, exposition, multiprocess
from prometheus_client.registry import Collector

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
_extra: list[Collector] = []
_lock = threading.Lock()
_multiprocess_registry: CollectorRegistry | None = None


def multiprocess_mode() -> bool:
    return bool(os.environ.get(MULTIPROCESS_ENV))


def add_collector(collector: Collector) -> None:
    """Adds a scrape-time collector (the database gauges) to what this process serves, once per kind."""
    with _lock:
        if any(type(c) is type(collector) for c in _extra):
            return
        _extra.append(collector)
        if _multiprocess_registry is not None:
            _multiprocess_registry.register(collector)
        elif not multiprocess_mode():
            REGISTRY.register(collector)


def registry() -> CollectorRegistry:
    """What a scrape of this process reads."""
    global _multiprocess_registry
    if not multiprocess_mode():
        return REGISTRY
    with _lock:
        if _multiprocess_registry is None:
            combined = CollectorRegistry()
            multiprocess.MultiProcessCollector(combined)
            for collector in _extra:
                combined.register(collector)
            _multiprocess_registry = combined
        return _multiprocess_registry


def render(accept: str = "") -> tuple[bytes, str]:
    """The body and content type of a scrape."""
    encoder, content_type = exposition.choose_encoder(accept)
    return encoder(registry()), content_type


def prepare_multiprocess_dir() -> str:
    """A fresh, empty directory for the processes' values (the caller exports it as PROMETHEUS_MULTIPROC_DIR)."""
    return tempfile.mkdtemp(prefix="taskrouter-metrics-")


def process_ended(pid: int) -> None:
    """Drops a finished process's live gauges (open streams) from the sums."""
    if multiprocess_mode():
        multiprocess.mark_process_dead(pid)


def remove_multiprocess_dir(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


class MetricsServer:
    """/metrics on an address of its own (`--metrics-addr H:P`); `reuse_port` lets the processes
    of `serve --processes N` share it (each answers for all)."""

    def __init__(self, host: str, port: int, *, reuse_port: bool = False):
        reuse = reuse_port

        class Server(exposition.ThreadingWSGIServer):
            address_family = socket.AF_INET6 if ":" in host else socket.AF_INET

            def server_bind(self):
                self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if reuse:
                    self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                super().server_bind()

        self._server = Server((host, port), _Quiet)
        self._server.set_app(self._app)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="metrics-server", daemon=True)

    @staticmethod
    def _app(environ, start_response):
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Type", "text/plain")])
            return [b"Method not allowed: use GET\n"]
        body, content_type = render(environ.get("HTTP_ACCEPT", ""))
        start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body if environ["REQUEST_METHOD"] == "GET" else b""]

    def start(self) -> MetricsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
