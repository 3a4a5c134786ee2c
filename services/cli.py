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

from taskrouter.client.cli import HelpFormatter, add_resource_commands
from taskrouter.client.errors import TaskRouterError
from taskrouter.server.store.db import DEFAULT_URL

DEFAULT_GRPC = "127.0.0.1:50051"
DEFAULT_HTTP = "127.0.0.1:8080"
CORS_HELP = ("browser origins allowed to call the HTTP API, comma-separated, or '*' "
             "(env TASKROUTER_CORS_ORIGINS; default: none)")
GRPC_HELP = "HOST:PORT of the gRPC services (env TASKROUTER_GRPC_ADDR)"
HTTP_HELP = "HOST:PORT of the HTTP API, or 'off' (env TASKROUTER_HTTP_ADDR)"
DATABASE_HELP = "sqlite:///PATH or postgresql://USER@HOST:PORT/DB (env TASKROUTER_DATABASE_URL)"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

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


def serve(args: argparse.Namespace) -> int:
    if args.processes > 1:
        return _serve_processes(args)
    from taskrouter.server.server import create_server

    services = [s.strip() for s in args.services.split(",") if s.strip()] if args.services else None
    host = create_server(args.grpc_addr, args.database, services, reuse_port=args.reuse_port)
    grpc_host = args.grpc_addr.rpartition(":")[0]
    _say(f"taskrouter gRPC listening on {grpc_host}:{host.port}")
    gateway = None
    if args.http_addr != "off":
        from taskrouter.server.gateway.server import HttpGateway

        http_host, http_port = _split(args.http_addr)
        gateway = HttpGateway(f"127.0.0.1:{host.port}", http_host, http_port, reuse_port=args.reuse_port,
                              cors_origins=_origins(args.cors_origins))
        gateway.start()
        _say(f"taskrouter HTTP listening on http://{http_host}:{gateway.port}")
    if args.print_account:
        _print_first_account(args.database)
    _wait_for_signal()
    if gateway is not None:
        gateway.stop()
    host.stop()
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
    """N copies of this server sharing the ports (SO_REUSEPORT) and the database."""
    base = [sys.executable, "-m", "taskrouter.server.cli", "serve", "--grpc-addr", args.grpc_addr, "--http-addr",
            args.http_addr, "--database", args.database, "--reuse-port"]
    if args.services:
        base += ["--services", args.services]
    children = [subprocess.Popen(base + (["--print-account"] if args.print_account and i == 0 else []))
                for i in range(args.processes)]
    _wait_for_signal()
    for child in children:
        child.send_signal(signal.SIGTERM)
    return max(child.wait() for child in children)


def gateway(args: argparse.Namespace) -> int:
    from taskrouter.server.gateway.server import run_gateway

    host, port = _split(args.http_addr)
    run_gateway(args.grpc_target, host, port, cors_origins=_origins(args.cors_origins))
    return 0


def accounts_create(args: argparse.Namespace) -> int:
    from taskrouter.server.accounts import create_account
    from taskrouter.server.store import db

    db.connect(args.database)
    print(json.dumps(create_account(args.email, args.enterprise_sid)))
    return 0


def accounts_list(args: argparse.Namespace) -> int:
    from taskrouter.server.accounts import list_accounts
    from taskrouter.server.store import db

    db.connect(args.database)
    for account in list_accounts():
        print(json.dumps(account))
    return 0


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
    run.add_argument("--services", default="", help="comma-separated subset of configuration,workforce,workflow,tasks")
    run.add_argument("--processes", type=int, default=1, help="server processes sharing the ports and database")
    run.add_argument("--reuse-port", action="store_true", help=argparse.SUPPRESS)
    run.add_argument("--print-account", action="store_true", help="create an account and print its credentials")
    run.set_defaults(handler=serve)

    shim = commands.add_parser("gateway", help="serve the HTTP API in front of remote gRPC services",
                               formatter_class=HelpFormatter)
    shim.add_argument("--grpc-target", default=env("TASKROUTER_GRPC_ADDR", DEFAULT_GRPC),
                      help="the gRPC services to call (env TASKROUTER_GRPC_ADDR)")
    shim.add_argument("--http-addr", default=env("TASKROUTER_HTTP_ADDR", DEFAULT_HTTP), help=HTTP_HELP)
    shim.add_argument("--cors-origins", default=env("TASKROUTER_CORS_ORIGINS", ""), help=CORS_HELP)
    shim.set_defaults(handler=gateway)

    accounts = commands.add_parser("accounts", help="manage accounts", formatter_class=HelpFormatter
                                   ).add_subparsers(dest="action", required=True)
    create = accounts.add_parser("create", help="create an account and print its credentials as JSON",
                                 formatter_class=HelpFormatter)
    create.add_argument("--email", required=True)
    create.add_argument("--enterprise-sid", default=None)
    create.add_argument("--database", default=env("TASKROUTER_DATABASE_URL", DEFAULT_URL), help=DATABASE_HELP)
    create.set_defaults(handler=accounts_create)
    listing = accounts.add_parser("list", help="print every account as one JSON object a line (no tokens)",
                                  formatter_class=HelpFormatter)
    listing.add_argument("--database", default=env("TASKROUTER_DATABASE_URL", DEFAULT_URL), help=DATABASE_HELP)
    listing.set_defaults(handler=accounts_list)
    add_resource_commands(commands)
    return root


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parser().parse_args(argv)
    try:
        return args.handler(args)
    except (OSError, ValueError) as error:  # a port in use, a bad database URL or SID: one line, not a traceback
        sys.stderr.write(f"taskrouter: error: {error}\n")
        return 2
    except TaskRouterError as error:  # what the server (or the SDK) refused, as the API says it
        sys.stderr.write(f"taskrouter: error: {error}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main())
