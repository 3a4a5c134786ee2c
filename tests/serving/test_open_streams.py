"""Open event streams hold no thread: many of them (gRPC and SSE) leave the API answering at
its normal speed, and each account may hold only so many at once (RESOURCE_EXHAUSTED / 429)."""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import threading
import time

import grpc
import httpx
import pytest
from helpers import check_error, make_queue, make_task, make_workflow, make_workspace

from taskrouter.v1 import configuration_service_pb2 as conf
from taskrouter.v1 import task_service_pb2 as tasks
from taskrouter.v1 import task_service_pb2_grpc

GRPC_STREAMS = 40
SSE_STREAMS = 10


class SseStream:
    """An SSE event stream read on a thread of its own over a plain socket (which close() can
    interrupt); `opened` is set once the status line arrived."""

    def __init__(self, url: str, auth: tuple[str, str], workspace_sid: str):
        self.opened = threading.Event()
        self.status = 0
        self.text = ""
        host, port = url.removeprefix("http://").split(":")
        self._sock = socket.create_connection((host, int(port)), timeout=30)
        credentials = base64.b64encode(":".join(auth).encode()).decode()
        self._sock.sendall((f"GET /taskrouter/events/stream?workspaceSid={workspace_sid} HTTP/1.1\r\n"
                            f"Host: {host}\r\nAuthorization: Basic {credentials}\r\n\r\n").encode())
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        received = b""
        try:
            while chunk := self._sock.recv(65536):
                received += chunk
                self.text = received.decode("utf-8", "replace")
                if not self.status and b"\r\n" in received:
                    self.status = int(received.split(b" ", 2)[1])
                    self.opened.set()
        except OSError:
            pass  # closed by the test
        finally:
            self.opened.set()

    def body(self) -> dict:
        """The JSON body of a refused (non-200) stream, once all of it arrived."""
        deadline = time.monotonic() + 5
        while True:
            head, _, body = self.text.partition("\r\n\r\n")
            length = next((int(line.split(":")[1]) for line in head.split("\r\n")
                           if line.lower().startswith("content-length:")), None)
            if (length is not None and len(body.encode()) >= length) or time.monotonic() > deadline:
                return json.loads(body)
            time.sleep(0.02)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
        self._thread.join(5)


def _watch(channel: grpc.Channel, metadata, workspace_sid: str, after_id: int = 0):
    return task_service_pb2_grpc.TaskServiceStub(channel).WatchEvents(
        tasks.WatchEventsRequest(workspace_sid=workspace_sid, after_id=after_id), metadata=metadata, timeout=120)


def test_unary_calls_keep_answering_with_many_streams_open(server, api, account):
    """Defect: each stream held one of the 32 threads of the sync server, so with 33 streams
    open every other call timed out."""
    ws = make_workspace(api)
    queue = make_queue(api, ws.sid)
    workflow = make_workflow(api, ws.sid, queue.sid)
    auth = (account["accountSid"], account["authToken"])
    channel = grpc.insecure_channel(server.grpc_target)
    calls = [_watch(channel, api.metadata, ws.sid) for _ in range(GRPC_STREAMS)]
    sse = [SseStream(server.http_url, auth, ws.sid) for _ in range(SSE_STREAMS)]
    try:
        for call in calls[:3]:
            call.initial_metadata()  # the server took them
        for stream in sse:
            assert stream.opened.wait(15) and stream.status == 200
        timings = []
        for _ in range(20):
            started = time.monotonic()
            api.configuration.GetWorkspace(conf.GetWorkspaceRequest(sid=ws.sid), timeout=5)
            timings.append(time.monotonic() - started)
        assert max(timings) < 2.0, timings  # milliseconds normally; the machine is shared
        with httpx.Client(base_url=server.http_url, auth=auth, timeout=5) as http:
            assert http.get(f"/taskrouter/workspaces/search/{ws.sid}").status_code == 200
        task = make_task(api, workflow.sid)
        # every stream is alive: each gets the new task's event
        for call in calls:
            for event in call:
                if event.resource_sid == task.sid:
                    break
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not all(task.sid in s.text for s in sse):
            time.sleep(0.05)
        assert all(task.sid in s.text for s in sse)
    finally:
        for call in calls:
            call.cancel()
        for stream in sse:
            stream.close()
        channel.close()


@pytest.fixture
def capped_node(start_node):
    return start_node({"TASKROUTER_MAX_STREAMS_PER_ACCOUNT": "2"})


def test_streams_beyond_the_accounts_cap_are_refused(capped_node, api, account, channel):
    from taskrouter.server.accounts import create_account

    ws = make_workspace(api)
    make_task(api, make_workflow(api, ws.sid, make_queue(api, ws.sid).sid).sid)  # an event to replay
    auth = (account["accountSid"], account["authToken"])
    node = grpc.insecure_channel(capped_node.grpc_target)
    first = _watch(node, api.metadata, ws.sid)
    first.initial_metadata()
    sse = SseStream(capped_node.http_url, auth, ws.sid)  # SSE streams count too
    refused = SseStream(capped_node.http_url, auth, ws.sid)
    try:
        assert sse.opened.wait(15) and refused.opened.wait(15)
        assert sorted((sse.status, refused.status)) == [200, 429]
        if refused.status == 200:
            refused, sse = sse, refused
        assert refused.body()["errorCode"] == "429"
        with pytest.raises(grpc.RpcError) as caught:
            next(_watch(node, api.metadata, ws.sid, after_id=1))
        check_error(caught.value, grpc.StatusCode.RESOURCE_EXHAUSTED, reason="TOO_MANY_STREAMS", error_code="429")
        # another account is not limited by this one's streams
        other = type(api)(channel, create_account("other@example.com"))
        other_ws = make_workspace(other)
        make_task(other, make_workflow(other, other_ws.sid, make_queue(other, other_ws.sid).sid).sid)
        other_stream = _watch(node, other.metadata, other_ws.sid, after_id=1)
        assert next(other_stream).workspace_sid == other_ws.sid
        other_stream.cancel()
        # closing a stream makes room for the next
        first.cancel()
        deadline = time.monotonic() + 10
        while True:
            again = _watch(node, api.metadata, ws.sid, after_id=1)
            try:
                assert next(again).workspace_sid == ws.sid
                break
            except grpc.RpcError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
            finally:
                again.cancel()
    finally:
        first.cancel()
        sse.close()
        refused.close()
        node.close()
