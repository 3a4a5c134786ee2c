"""The parts of the container image that run without docker: the entrypoint script and the
configuration by environment (docs/deploy.md); and the compose file's shape."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import grpc
import pytest
import yaml
from grpc_health.v1 import health_pb2, health_pb2_grpc

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
CLI = f"{sys.executable} -m taskrouter.server.cli"


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TASKROUTER")}
    env.update(extra)
    return env


@pytest.fixture
def show_arguments(tmp_path):
    """A stand-in for `taskrouter` that prints its arguments and the TASKROUTER_* variables."""
    script = tmp_path / "show"
    script.write_text(f"#!{sys.executable}\nimport json, os, sys\n"
                      "print(json.dumps({'argv': sys.argv[1:], 'env': {k: v for k, v in os.environ.items() "
                      "if k.startswith('TASKROUTER_')}}))\n")
    script.chmod(0o755)
    return str(script)


def _run(show: str, *args: str, **env: str) -> dict:
    out = subprocess.run([str(ENTRYPOINT), *args], env=_clean_env(TASKROUTER=show, **env), capture_output=True,
                         text=True, timeout=30, check=True)
    return json.loads(out.stdout)


def test_the_entrypoint_serves_on_every_interface_with_the_database_in_the_volume(show_arguments):
    seen = _run(show_arguments)
    assert seen["argv"] == ["serve"]
    assert seen["env"] == {"TASKROUTER_GRPC_ADDR": "0.0.0.0:50051", "TASKROUTER_HTTP_ADDR": "0.0.0.0:8080",
                           "TASKROUTER_DATABASE_URL": "sqlite:////data/taskrouter.db"}


def test_the_entrypoint_keeps_what_the_environment_and_the_arguments_say(show_arguments):
    seen = _run(show_arguments, "--threads", "8", TASKROUTER_DATABASE_URL="postgresql://u@db:5432/tr",
                TASKROUTER_HTTP_ADDR="off")
    assert seen["argv"] == ["serve", "--threads", "8"]
    assert seen["env"]["TASKROUTER_DATABASE_URL"] == "postgresql://u@db:5432/tr"
    assert seen["env"]["TASKROUTER_HTTP_ADDR"] == "off"
    assert _run(show_arguments, "accounts", "create", "--email", "a@b.c")["argv"] == [
        "accounts", "create", "--email", "a@b.c"]


def test_the_entrypoint_runs_a_node_configured_by_environment(database_url, server, free_port):
    grpc_port, http_port = free_port(), free_port()
    env = _clean_env(TASKROUTER=CLI, TASKROUTER_GRPC_ADDR=f"127.0.0.1:{grpc_port}",
                     TASKROUTER_HTTP_ADDR=f"127.0.0.1:{http_port}", TASKROUTER_DATABASE_URL=database_url,
                     TASKROUTER_THREADS="4", TASKROUTER_MAX_STREAMS_PER_ACCOUNT="5",
                     TASKROUTER_MAX_MESSAGE_BYTES=str(8 << 20))
    node = subprocess.Popen([str(ENTRYPOINT)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = [node.stdout.readline() for _ in range(2)]
        assert f"gRPC listening on 127.0.0.1:{grpc_port}" in lines[0], lines
        assert f"HTTP listening on http://127.0.0.1:{http_port}" in lines[1], lines
        with grpc.insecure_channel(f"127.0.0.1:{grpc_port}") as channel:
            answer = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=10)
        assert answer.status == health_pb2.HealthCheckResponse.SERVING
    finally:
        node.terminate()
        assert node.wait(15) == 0


@pytest.mark.parametrize("name, value", [("TASKROUTER_THREADS", "0"), ("TASKROUTER_MAX_MESSAGE_BYTES", "lots"),
                                         ("TASKROUTER_MAX_STREAMS_PER_ACCOUNT", "-1")])
def test_a_bad_limit_in_the_environment_is_refused_by_name(name, value):
    out = subprocess.run([sys.executable, "-m", "taskrouter.server.cli", "serve"], env=_clean_env(**{name: value}),
                         capture_output=True, text=True, timeout=30, check=False)
    assert out.returncode == 2
    flag = "--" + name.removeprefix("TASKROUTER_").lower().replace("_", "-")
    last = out.stderr.strip().splitlines()[-1]
    assert f"error: argument {flag}: must be" in last, out.stderr


def test_compose_runs_two_nodes_over_one_postgresql():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    nodes = [name for name, service in services.items() if "build" in service or "taskrouter" in str(service)]
    assert len([n for n in nodes if n.startswith("node")]) == 2
    for name in ("node1", "node2"):
        node = services[name]
        assert node["environment"]["TASKROUTER_DATABASE_URL"].startswith("postgresql://")
        assert node["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["node1"]["ports"] != services["node2"]["ports"]
    assert services["db"]["image"].startswith("postgres")
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "deploy/entrypoint.sh" in dockerfile and 'ENTRYPOINT ["taskrouter-entrypoint"]' in dockerfile
