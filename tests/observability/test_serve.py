"""`taskrouter serve` as an operator runs it: one scrape sees every process of `--processes 2`,
`--metrics-addr` moves /metrics to an address of its own or turns it off, and `--log-format json`
writes one JSON line per event with the request id that a 5xx body carries, and no secret."""

from __future__ import annotations

import base64
import json
import os
import tempfile

import httpx
import polling
from observing import Routing, free_port, scrape, value

from taskrouter.v1 import task_service_pb2 as tasks


def test_one_scrape_sees_both_processes(serve, tmp_path, database_url, api_at):
    grpc_port, http_port = free_port(), free_port()
    directory = tmp_path / "metrics"
    directory.mkdir()
    server = serve("--grpc-addr", f"127.0.0.1:{grpc_port}", "--http-addr", f"127.0.0.1:{http_port}",
                   "--database", database_url, "--processes", "2",
                   env={"PROMETHEUS_MULTIPROC_DIR": str(directory)})
    server.expect(r"HTTP listening", count=2)
    target = f"127.0.0.1:{grpc_port}"
    routing = Routing(api_at(target), workers=0)
    calls = 12
    for n in range(calls):  # a connection per call: the kernel spreads them over both processes
        api_at(target).tasks.CreateTask(tasks.CreateTaskRequest(workflow_sid=routing.workflow.sid,
                                                                attributes=json.dumps({"n": n})))
    pids = {name.rsplit("_", 1)[1].split(".")[0] for name in os.listdir(directory) if name.startswith("counter_")}
    assert len(pids) == 2, f"both processes count: {sorted(os.listdir(directory))}"
    for _ in range(4):  # whichever process answers, it answers for both
        samples = scrape(f"http://127.0.0.1:{http_port}/metrics")
        assert value(samples, "taskrouter_tasks_created_total") == calls
        assert value(samples, "taskrouter_grpc_requests_total", service="taskrouter.v1.TaskService",
                     method="CreateTask", code="OK") == calls
        assert value(samples, "taskrouter_tasks_pending", workspace_sid=routing.ws.sid) == calls


def test_json_logs_request_ids_and_no_secrets(serve, tmp_path):
    metrics_port = free_port()
    server = serve("--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--database",
                   f"sqlite:///{tmp_path}/db.sqlite", "--services", "configuration", "--print-account",
                   "--metrics-addr", f"127.0.0.1:{metrics_port}", "--log-format", "json")
    http_url = server.expect(r"HTTP listening on (http://\S+)")[0].group(1)
    server.expect(r"metrics on http://127.0.0.1:(\d+)/metrics")
    account = server.account()
    token, signing_key = account["authToken"], account.get("signingKey", "")
    credentials = base64.b64encode(f"{account['accountSid']}:{token}".encode()).decode()
    with httpx.Client(base_url=http_url, auth=(account["accountSid"], token), timeout=30) as client:
        ok = client.post("/taskrouter/workspaces", json={"friendlyName": "logged", "enterpriseSid":
                                                         account["enterpriseSid"]}, headers={"X-Request-Id": "my-id-1"})
        assert ok.headers["x-request-id"] == "my-id-1"
        # The tasks service is not served here: a 501 whose body names the request.
        failed = client.get("/taskrouter/tasks/search", params={"workspaceSid": "WS" + "0" * 32,
                                                                 "token": token})
        assert failed.status_code >= 500, failed.text
        rid = failed.headers["x-request-id"]
        assert failed.json()["requestId"] == rid
        denied = client.get("/taskrouter/workspaces/search", auth=(account["accountSid"], "wrong-" + token))
        assert denied.status_code == 401 and "requestId" not in denied.json()
    assert httpx.get(f"{http_url}/metrics").status_code == 404  # served on --metrics-addr instead
    assert "taskrouter_http_requests_total" in httpx.get(f"http://127.0.0.1:{metrics_port}/metrics").text

    def lines():
        return [json.loads(line) for line in server.log().splitlines() if line.strip()]

    access = polling.eventually(lambda: [line for line in lines() if line["logger"] == "taskrouter.access"
                                         and line.get("request_id") == rid])
    assert access[0]["status"] == failed.status_code and access[0]["level"] == "info"
    assert access[0]["route"] == "/taskrouter/tasks/search" and "duration_ms" in access[0]
    assert access[0]["method"] == "GET" and access[0]["path"].startswith("/taskrouter/tasks/search?")
    assert any(line.get("request_id") == "my-id-1" for line in lines())
    server.stop()
    log = server.log()
    assert log.strip()
    for secret in filter(None, (token, credentials, signing_key)):
        assert secret not in log


def test_metrics_off(serve, tmp_path):
    server = serve("--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--database",
                   f"sqlite:///{tmp_path}/db.sqlite", "--metrics-addr", "off")
    http_url = server.expect(r"HTTP listening on (http://\S+)")[0].group(1)
    assert httpx.get(f"{http_url}/metrics").status_code == 404
    assert not any("metrics on" in line for line in server.lines)


def test_log_format_defaults_to_text_on_a_terminal_and_masks_credentials():
    import io
    import logging
    import pty

    from taskrouter.server.observability import logging_setup, request_id

    primary, secondary = pty.openpty()
    with os.fdopen(secondary, "w") as terminal:
        assert logging_setup.default_format(terminal) == "text"
    os.close(primary)
    with tempfile.TemporaryFile("w") as file:
        assert logging_setup.default_format(file) == "json"
    out = io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    logging_setup.configure("text", "info", out)
    token = request_id.bind("RQ1")
    try:
        logging.getLogger("taskrouter.test").warning("call with Authorization: Basic QUMxOnNlY3JldA== "
                                                     "and authToken=abc123 failed")
    finally:
        request_id.reset(token)
        root.handlers[:] = handlers
        root.setLevel(level)
    line = out.getvalue()
    assert "[RQ1]" in line and "QUMxOnNlY3JldA" not in line and "abc123" not in line and "[REDACTED]" in line


def test_otel_variables_turn_tracing_on(serve, tmp_path):
    server = serve("--grpc-addr", "127.0.0.1:0", "--http-addr", "127.0.0.1:0", "--database",
                   f"sqlite:///{tmp_path}/db.sqlite", "--print-account",
                   env={"OTEL_TRACES_EXPORTER": "console", "OTEL_BSP_SCHEDULE_DELAY": "100",
                        "OTEL_SERVICE_NAME": "taskrouter-test"})
    http_url = server.expect(r"HTTP listening on (http://\S+)")[0].group(1)
    account = server.account()
    response = httpx.get(f"{http_url}/taskrouter/workspaces/search", auth=(account["accountSid"],
                                                                          account["authToken"]))
    assert response.status_code == 200
    # The console exporter prints each span as JSON on standard output.
    server.expect(r'"name": "GET /taskrouter/workspaces/search"')
    server.expect(r'"name": "taskrouter.v1.ConfigurationService/ListWorkspaces"')
    server.expect(r'"service.name": "taskrouter-test"')
