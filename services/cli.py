"""The `taskrouter` command: serve, gateway, accounts create|list, and the operator's resource
commands over the SDK (`taskrouter <resource> <verb>`, taskrouter.client.cli)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from importlib.metadata import PackageNotFoundError, version

import grpc

from taskrouter.client.cli import HelpFormatter, add_resource_commands
from taskrouter.client.errors import TaskRouterError
from taskrouter.server.ingress import sigv4
from taskrouter.server.limits import MAX_BODY_BYTES, Limits
from taskrouter.server.observability import tracing
from taskrouter.server.routing.callback_urls import parse_networks
from taskrouter.server.store import db
from taskrouter.server.store.availability import DatabaseUnavailable, one_line
from taskrouter.server.store.db import DEFAULT_URL
from taskrouter.server.tls import TlsFiles

# The server, the gateway, the account store, metrics and logging set-up are imported in the
# commands that use them: they take up to half a second each, which `taskrouter --help` and the
# SDK's resource commands do not wait for.

DEFAULT_GRPC = "127.0.0.1:50051"
DEFAULT_HTTP = "127.0.0.1:8080"
CORS_HELP = ("browser origins allowed to call the HTTP API, comma-separated, or '*' "
             "(env TASKROUTER_CORS_ORIGINS; default: none)")
GRPC_HELP = "HOST:PORT of the gRPC services (env TASKROUTER_GRPC_ADDR)"
HTTP_HELP = "HOST:PORT of the HTTP API, or 'off' (env TASKROUTER_HTTP_ADDR)"
DATABASE_HELP = "sqlite:///PATH or postgresql://USER@HOST:PORT/DB (env TASKROUTER_DATABASE_URL)"
# The gateway forwards AWS SigV4-signed requests (the Amazon Connect ingress) for the services to verify.
SIGNED_SCHEMES = {sigv4.SCHEME: sigv4.forwarded_request}


def _version() -> str:
    try:
        return version("taskrouter")
    except PackageNotFoundError:
        return "unknown"


def _split(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host.strip("[]") or "127.0.0.1", int(port)


def _origins(text: str) -> list[str]:
    return [origin.strip() for origin in text.split(",") if origin.strip()]


def _wait_for_signal() -> None:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    stop.wait()


def _say(line: str) -> None:
    """One line in one write: the processes of `serve --processes N` share the terminal, and a
    print() writes the text and its newline separately, so their lines could run together."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _metrics_on(args: argparse.Namespace) -> bool:
    """Metrics are kept unless --metrics-addr is off, or they would be served nowhere (no HTTP API
    and no address of their own)."""
    return args.metrics_addr != "off" and (bool(args.metrics_addr) or args.http_addr != "off")


def _start_metrics_server(args: argparse.Namespace):
    """/metrics on --metrics-addr, when it names an address of its own."""
    if not _metrics_on(args) or not args.metrics_addr:
        return None
    from taskrouter.server.observability.exposition import MetricsServer

    host, port = _split(args.metrics_addr)
    return MetricsServer(host, port, reuse_port=args.reuse_port).start()


def serve(args: argparse.Namespace) -> int:
    callback_deny = parse_networks(args.callback_deny)  # a bad range stops here, before any process starts
    if args.processes > 1:
        return _serve_processes(args)
    from taskrouter.server.server import create_server

    tracing.configure_from_env()
    metrics = _metrics_on(args)
    services = [s.strip() for s in args.services.split(",") if s.strip()] if args.services else None
    limits = Limits(threads=args.threads, max_message_bytes=args.max_message_bytes,
                    max_streams_per_account=args.max_streams_per_account)
    tls = TlsFiles.from_options(args.tls_cert, args.tls_key)
    host = create_server(args.grpc_addr, args.database, services, reuse_port=args.reuse_port, tls=tls,
                         metrics=metrics, limits=limits, callback_deny=callback_deny)
    grpc_host = args.grpc_addr.rpartition(":")[0]
    _say(f"taskrouter gRPC listening on {grpc_host}:{host.port}" + (" (TLS)" if tls else ""))
    gateway = None
    if args.http_addr != "off":
        from taskrouter.server.gateway.server import HttpGateway

        http_host, http_port = _split(args.http_addr)
        gateway = HttpGateway(host.local_target, http_host, http_port, reuse_port=args.reuse_port, tls=tls,
                              channel=host.local_channel, signed_schemes=SIGNED_SCHEMES,
                              max_message_bytes=args.max_message_bytes,
                              max_body_bytes=args.max_body_bytes, cors_origins=_origins(args.cors_origins),
                              metrics=metrics, serve_metrics=metrics and not args.metrics_addr)
        gateway.start()
        _say(f"taskrouter HTTP listening on {'https' if tls else 'http'}://{http_host}:{gateway.port}")
    metrics_server = _start_metrics_server(args)
    if args.print_account:
        _print_first_account(args.database)
    # (after the lines that scripts read by position)
    if metrics_server is not None:
        _say(f"taskrouter metrics on http://{args.metrics_addr.rpartition(':')[0]}:{metrics_server.port}/metrics")
    elif gateway is not None and metrics:
        _say(f"taskrouter metrics on {'https' if tls else 'http'}://{gateway.host}:{gateway.port}/metrics")
    _wait_for_signal()
    if gateway is not None:
        gateway.stop()
    if metrics_server is not None:
        metrics_server.stop()
    host.stop()
    tracing.shutdown()
    return 0


def _print_first_account(database: str) -> None:
    """A new database gets an account, printed once; later starts say how to find or make one."""
    from taskrouter.server.accounts import create_account, list_accounts

    existing = list_accounts()
    if existing:
        _say(f"{len(existing)} account(s) already in {database}: `taskrouter accounts list` shows them, "
             "`taskrouter accounts create --email EMAIL` makes another (tokens are shown only at creation)")
        return
    account = create_account("admin@localhost")
    _say("account (use as HTTP Basic user:password or gRPC authorization metadata):")
    _say(json.dumps(account))


def _serve_processes(args: argparse.Namespace) -> int:
    """N copies of this server sharing the ports (SO_REUSEPORT) and the database; their metrics
    go to one directory (prometheus-client's multiprocess mode), so any of them answers a scrape
    for all (docs/operations.md)."""
    from taskrouter.server.observability import exposition

    base = [sys.executable, "-m", "taskrouter.server.cli", "serve", "--grpc-addr", args.grpc_addr, "--http-addr",
            args.http_addr, "--database", args.database, "--reuse-port", "--metrics-addr", args.metrics_addr or "",
            "--log-format", args.log_format, "--log-level", args.log_level, "--threads", str(args.threads),
            "--max-message-bytes", str(args.max_message_bytes), "--max-body-bytes", str(args.max_body_bytes),
            "--max-streams-per-account", str(args.max_streams_per_account), "--cors-origins", args.cors_origins,
            "--callback-deny", args.callback_deny]
    if args.services:
        base += ["--services", args.services]
    if args.tls_cert or args.tls_key:
        base += ["--tls-cert", args.tls_cert or "", "--tls-key", args.tls_key or ""]
    environ, made = dict(os.environ), None
    if _metrics_on(args) and not environ.get(exposition.MULTIPROCESS_ENV):
        made = environ[exposition.MULTIPROCESS_ENV] = exposition.prepare_multiprocess_dir()
    children = [subprocess.Popen(base + (["--print-account"] if args.print_account and i == 0 else []), env=environ)
                for i in range(args.processes)]
    _wait_for_signal()
    for child in children:
        child.send_signal(signal.SIGTERM)
    status = max(child.wait() for child in children)
    if made:
        exposition.remove_multiprocess_dir(made)
    return status


def gateway(args: argparse.Namespace) -> int:
    from taskrouter.server.gateway.server import run_gateway

    tracing.configure_from_env()
    host, port = _split(args.http_addr)
    tls = TlsFiles.from_options(args.tls_cert, args.tls_key)
    credentials = None
    if args.grpc_ca:
        with open(args.grpc_ca, "rb") as roots:
            credentials = grpc.ssl_channel_credentials(root_certificates=roots.read())
    metrics = args.metrics_addr != "off"
    metrics_server = _start_metrics_server(argparse.Namespace(**{**vars(args), "reuse_port": False}))
    try:
        run_gateway(args.grpc_target, host, port, tls=tls, channel_credentials=credentials,
                    signed_schemes=SIGNED_SCHEMES, cors_origins=_origins(args.cors_origins), metrics=metrics,
                    max_message_bytes=args.max_message_bytes, max_body_bytes=args.max_body_bytes,
                    serve_metrics=metrics and not args.metrics_addr)
    finally:
        if metrics_server is not None:
            metrics_server.stop()
        tracing.shutdown()
    return 0


def _tls_options(command: argparse.ArgumentParser, what: str) -> None:
    env = os.environ.get
    command.add_argument("--tls-cert", default=env("TASKROUTER_TLS_CERT"), metavar="FILE",
                         help=f"PEM certificate chain: serve {what} over TLS (with --tls-key; env TASKROUTER_TLS_CERT)")
    command.add_argument("--tls-key", default=env("TASKROUTER_TLS_KEY"), metavar="FILE",
                         help="PEM private key of --tls-cert (env TASKROUTER_TLS_KEY)")


def accounts_create(args: argparse.Namespace) -> int:
    from taskrouter.server.accounts import create_account

    db.connect(args.database)
    print(json.dumps(create_account(args.email, args.enterprise_sid)))
    return 0


def accounts_rotate(args: argparse.Namespace) -> int:
    from taskrouter.server.accounts import rotate

    db.connect(args.database)
    print(json.dumps(rotate(args.account_sid, args.grace)))
    return 0


def accounts_list(args: argparse.Namespace) -> int:
    from taskrouter.server.accounts import list_accounts

    db.connect(args.database)
    for account in list_accounts():
        print(json.dumps(account))
    return 0


def _positive(value: str) -> int:
    """A count or size from a flag or its TASKROUTER_* variable."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return number


def _limit_arguments(command: argparse.ArgumentParser, *, serving: bool) -> None:
    """The limits of docs/deploy.md, each a flag with a TASKROUTER_* variable as its default."""
    env, defaults = os.environ.get, Limits()
    command.add_argument("--max-message-bytes", type=_positive,
                         default=env("TASKROUTER_MAX_MESSAGE_BYTES", defaults.max_message_bytes),
                         help="largest gRPC message in or out (the HTTP API's channel too; "
                              "env TASKROUTER_MAX_MESSAGE_BYTES)")
    command.add_argument("--max-body-bytes", type=_positive, default=env("TASKROUTER_MAX_BODY_BYTES", MAX_BODY_BYTES),
                         help="largest HTTP request body (env TASKROUTER_MAX_BODY_BYTES)")
    if serving:
        command.add_argument("--threads", type=_positive, default=env("TASKROUTER_THREADS", defaults.threads),
                             help="threads for blocking calls (each may hold a database connection; "
                                  "env TASKROUTER_THREADS)")
        command.add_argument("--max-streams-per-account", type=_positive,
                             default=env("TASKROUTER_MAX_STREAMS_PER_ACCOUNT", defaults.max_streams_per_account),
                             help="open event streams per account (gRPC and SSE together; "
                                  "env TASKROUTER_MAX_STREAMS_PER_ACCOUNT)")


def _observability_options(command: argparse.ArgumentParser) -> None:
    env = os.environ.get
    command.add_argument("--metrics-addr", default=env("TASKROUTER_METRICS_ADDR", ""),
                         help="HOST:PORT to serve /metrics on instead of the HTTP address, or 'off' (no metrics; "
                              "env TASKROUTER_METRICS_ADDR)")
    command.add_argument("--log-format", choices=("json", "text"), default=env("TASKROUTER_LOG_FORMAT") or None,
                         help="log lines as JSON objects or text (default: text on a terminal, else json; "
                              "env TASKROUTER_LOG_FORMAT)")
    command.add_argument("--log-level", default=env("TASKROUTER_LOG_LEVEL", "info"),
                         choices=("debug", "info", "warning", "error"),
                         help="the least severe lines logged (env TASKROUTER_LOG_LEVEL)")


def parser() -> argparse.ArgumentParser:
    env = os.environ.get
    root = argparse.ArgumentParser(prog="taskrouter", description="An open-source task router.",
                                   formatter_class=HelpFormatter)
    root.add_argument("--version", action="version", version=f"taskrouter {_version()}")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("serve", help="serve the gRPC services and the HTTP API",
                              formatter_class=HelpFormatter)
    run.add_argument("--grpc-addr", default=env("TASKROUTER_GRPC_ADDR", DEFAULT_GRPC), help=GRPC_HELP)
    run.add_argument("--http-addr", default=env("TASKROUTER_HTTP_ADDR", DEFAULT_HTTP), help=HTTP_HELP)
    run.add_argument("--database", default=env("TASKROUTER_DATABASE_URL", DEFAULT_URL), help=DATABASE_HELP)
    run.add_argument("--cors-origins", default=env("TASKROUTER_CORS_ORIGINS", ""), help=CORS_HELP)
    run.add_argument("--services", default=env("TASKROUTER_SERVICES", ""),
                     help="comma-separated subset of configuration,workforce,workflow,tasks; default: all "
                          "(env TASKROUTER_SERVICES)")
    run.add_argument("--processes", type=_positive, default=env("TASKROUTER_PROCESSES", 1),
                     help="server processes sharing the ports and database (env TASKROUTER_PROCESSES)")
    run.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)
    run.add_argument("--print-account", action="store_true", help="create an account and print its credentials")
    run.add_argument("--callback-deny", default=env("TASKROUTER_CALLBACK_DENY", ""), metavar="CIDR[,CIDR...]",
                     help="address ranges callbacks must not be sent to (checked against the resolved address; "
                          "env TASKROUTER_CALLBACK_DENY)")
    _tls_options(run, "gRPC and HTTP")
    _observability_options(run)
    _limit_arguments(run, serving=True)
    run.set_defaults(handler=serve)

    shim = commands.add_parser("gateway", help="serve the HTTP API in front of remote gRPC services",
                               formatter_class=HelpFormatter)
    shim.add_argument("--grpc-target", default=env("TASKROUTER_GRPC_ADDR", DEFAULT_GRPC),
                      help="the gRPC services to call (env TASKROUTER_GRPC_ADDR)")
    shim.add_argument("--http-addr", default=env("TASKROUTER_HTTP_ADDR", DEFAULT_HTTP), help=HTTP_HELP)
    _tls_options(shim, "HTTP")
    shim.add_argument("--grpc-ca", default=env("TASKROUTER_GRPC_CA"), metavar="FILE",
                      help="PEM certificates to trust: reach --grpc-target over TLS (env TASKROUTER_GRPC_CA)")
    shim.add_argument("--cors-origins", default=env("TASKROUTER_CORS_ORIGINS", ""), help=CORS_HELP)
    _observability_options(shim)
    _limit_arguments(shim, serving=False)
    shim.set_defaults(handler=gateway)

    accounts = commands.add_parser("accounts", help="manage accounts", formatter_class=HelpFormatter
                                   ).add_subparsers(dest="action", required=True)
    create = accounts.add_parser("create", help="create an account and print its credentials as JSON",
                                 formatter_class=HelpFormatter)
    create.add_argument("--email", required=True)
    create.add_argument("--enterprise-sid", default=None)
    create.add_argument("--database", default=env("TASKROUTER_DATABASE_URL", DEFAULT_URL), help=DATABASE_HELP)
    create.set_defaults(handler=accounts_create)
    rotation = accounts.add_parser("rotate", help="make a new auth token and signing key; print them as JSON",
                                   formatter_class=HelpFormatter)
    rotation.add_argument("--account-sid", required=True)
    rotation.add_argument("--grace", type=float, default=0.0, metavar="SECONDS",
                          help="how long the old token and signing key keep working (default 0: they stop now)")
    rotation.add_argument("--database", default=env("TASKROUTER_DATABASE_URL", DEFAULT_URL), help=DATABASE_HELP)
    rotation.set_defaults(handler=accounts_rotate)
    listing = accounts.add_parser("list", help="print every account as one JSON object a line (no tokens)",
                                  formatter_class=HelpFormatter)
    listing.add_argument("--database", default=env("TASKROUTER_DATABASE_URL", DEFAULT_URL), help=DATABASE_HELP)
    listing.set_defaults(handler=accounts_list)
    add_resource_commands(commands)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if hasattr(args, "log_format"):
        from taskrouter.server.observability import logging_setup

        if args.log_format is None:
            args.log_format = logging_setup.default_format()
        logging_setup.configure(args.log_format, args.log_level)
    else:
        logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return args.handler(args)
    except (OSError, ValueError) as error:  # a port in use, a bad database URL or SID: one line, not a traceback
        sys.stderr.write(f"taskrouter: error: {error}\n")
        return 2
    except DatabaseUnavailable as error:
        sys.stderr.write(f"taskrouter: error: the database cannot be reached: {one_line(error.__cause__ or error)}\n")
        return 2
    except TaskRouterError as error:  # what the server (or the SDK) refused, as the API says it
        sys.stderr.write(f"taskrouter: error: {error}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
