"""An HTTP connection that never finishes its headers is answered 408 and closed after the
header timeout (10 s by default), instead of being kept for ever (slowloris); a body that never
finishes gets 408 after the request timeout."""

from __future__ import annotations

import http.client
import socket
import time

import pytest

from taskrouter.server.gateway.header_timeout import HEADER_TIMEOUT


@pytest.fixture
def gateway(server):
    from taskrouter.server.gateway.server import HttpGateway

    with HttpGateway(server.grpc_target, "127.0.0.1", 0, header_timeout=1.0, request_timeout=1.5) as gw:
        yield gw


def _closed_after(sock: socket.socket, limit: float) -> tuple[float, bytes]:
    """Seconds until the server closed the connection, and what it sent."""
    sock.settimeout(limit)
    started, received = time.monotonic(), b""
    while chunk := sock.recv(4096):
        received += chunk
    return time.monotonic() - started, received


def test_unfinished_headers_are_closed_with_408(gateway):
    with socket.create_connection(("127.0.0.1", gateway.port)) as sock:
        sock.sendall(b"GET /taskrouter/workspaces/search HTTP/1.1\r\nHost: x\r\n")
        took, received = _closed_after(sock, 10)
    assert received.startswith(b"HTTP/1.1 408 ") and b'"errorCode": "408"' in received
    assert 0.5 < took < 5, took


def test_a_connection_that_sends_nothing_is_closed(gateway):
    with socket.create_connection(("127.0.0.1", gateway.port)) as sock:
        took, _ = _closed_after(sock, 10)
    assert took < 5, took


def test_headers_trickled_past_the_deadline_do_not_keep_it_open(gateway):
    with socket.create_connection(("127.0.0.1", gateway.port)) as sock:
        sock.sendall(b"GET /openapi.json HTTP/1.1\r\n")
        started = time.monotonic()
        with pytest.raises(OSError):  # closed by the server while we still trickle
            for _ in range(20):
                sock.sendall(b"X-Slow: 1\r\n")
                time.sleep(0.25)
                sock.settimeout(0.01)
                try:
                    if sock.recv(4096).startswith(b"HTTP/1.1 408"):
                        raise ConnectionResetError("408")
                except TimeoutError:
                    pass
        assert time.monotonic() - started < 4


def test_prompt_requests_on_a_kept_alive_connection_are_served(gateway):
    connection = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=10)
    connection.connect()
    first = connection.sock
    for _ in range(2):  # 1.2 s on one connection, longer than the timeout: each request has its own
        time.sleep(0.6)
        connection.request("GET", "/openapi.json")
        response = connection.getresponse()
        assert response.status == 200 and response.read()
    assert connection.sock is first  # the same connection all along
    connection.close()


def test_a_body_trickled_past_the_request_timeout_is_a_408(gateway, account):
    from base64 import b64encode

    auth = b64encode(f"{account['accountSid']}:{account['authToken']}".encode())
    with socket.create_connection(("127.0.0.1", gateway.port)) as sock:
        sock.sendall(b"POST /taskrouter/workspaces HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Authorization: Basic " + auth + b"\r\nContent-Length: 100\r\n\r\n{")
        sock.settimeout(10)
        started = time.monotonic()
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 408 ") and b"Request body not received" in answer, answer
    assert time.monotonic() - started < 5


def test_the_served_gateway_has_the_default_timeout(server):
    assert server.gateway.header_timeout == HEADER_TIMEOUT == 10.0
