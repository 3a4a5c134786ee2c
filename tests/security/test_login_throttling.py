"""Wrong credentials cannot buy CPU: failed logins are counted per account SID and per client
address, and past the allowance the answer is 429 with Retry-After, decided before any hashing.
A client that already authenticated keeps working, and an unknown SID costs what a known one does.
Each test runs a server process of its own, so its counts start at zero."""

from __future__ import annotations

import base64
import statistics
import time
import uuid

import grpc
import httpx
from security_helpers import refused

from taskrouter.v1 import configuration_service_pb2 as cs
from taskrouter.v1 import configuration_service_pb2_grpc as cs_grpc

PER_ACCOUNT, PER_CLIENT = 10, 30  # authentication.Limits defaults (docs/security.md)


def _basic(sid: str, token: str) -> str:
    return "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode()


def test_wrong_tokens_for_one_account_are_throttled_without_hashing(own_server, account):
    served = own_server()
    good = httpx.Client(base_url=served.http_url, auth=(account["accountSid"], account["authToken"]), timeout=30)
    bad = httpx.Client(base_url=served.http_url, auth=(account["accountSid"], "0" * 32), timeout=30)
    assert good.get("/taskrouter/workspaces/search").status_code == 200  # verified once, remembered

    hashed, throttled = [], []
    for _ in range(PER_ACCOUNT):
        started = time.perf_counter()
        refused(bad.get("/taskrouter/workspaces/search"), 401)
        hashed.append(time.perf_counter() - started)
    for _ in range(PER_ACCOUNT):
        started = time.perf_counter()
        response = bad.get("/taskrouter/workspaces/search")
        throttled.append(time.perf_counter() - started)
        body = refused(response, 429)
        assert 1 <= int(response.headers["retry-after"]) <= 60, response.headers
        assert "Too many failed authentication attempts" in body["message"]
    # No PBKDF2 for a throttled attempt: far cheaper than a hashed one.
    assert statistics.median(throttled) < statistics.median(hashed) / 2, (hashed, throttled)

    # The token verified before the attack is remembered: its holders are not locked out.
    assert good.get("/taskrouter/workspaces/search").status_code == 200
    fresh = httpx.Client(base_url=served.http_url, auth=(account["accountSid"], account["authToken"]), timeout=30)
    assert fresh.get("/taskrouter/workspaces/search").status_code == 200


def test_one_client_trying_many_account_sids_is_throttled(own_server):
    served = own_server()
    client = httpx.Client(base_url=served.http_url, timeout=30)

    def attempt() -> httpx.Response:
        return client.get("/taskrouter/workspaces/search", auth=("AC" + uuid.uuid4().hex, "0" * 32))

    statuses, started = [], time.monotonic()
    while 429 not in statuses and len(statuses) < 3 * PER_CLIENT:
        statuses.append(attempt().status_code)
    # The allowance comes back meanwhile, PER_CLIENT a minute: slow hashing on a loaded machine earns a few more.
    earned = (time.monotonic() - started) * PER_CLIENT / 60
    assert PER_CLIENT + 1 <= len(statuses) <= PER_CLIENT + earned + 2, (statuses, earned)
    assert set(statuses[:-1]) == {401}, statuses
    throttled = [attempt() for _ in range(5)]
    assert [r.status_code for r in throttled] == [429] * 5
    response = throttled[-1]
    assert "retry-after" in response.headers


def test_throttling_over_grpc_is_resource_exhausted_with_retry_info(own_server, account):
    served = own_server()
    with grpc.insecure_channel(served.grpc_target) as channel:
        stub = cs_grpc.ConfigurationServiceStub(channel)
        codes = []
        for _ in range(PER_ACCOUNT + 2):
            try:
                stub.ListWorkspaces(cs.ListWorkspacesRequest(), metadata=(
                    ("authorization", _basic(account["accountSid"], "wrong")),), timeout=30)
            except grpc.RpcError as err:
                codes.append(err.code())
                last = err
    assert codes == [grpc.StatusCode.UNAUTHENTICATED] * PER_ACCOUNT + [grpc.StatusCode.RESOURCE_EXHAUSTED] * 2
    from google.rpc import error_details_pb2
    from grpc_status import rpc_status

    details = rpc_status.from_call(last).details
    retry = [d for d in details if d.Is(error_details_pb2.RetryInfo.DESCRIPTOR)]
    assert retry, details


def test_unknown_sids_cost_what_known_ones_do(own_server, account):
    served = own_server()

    client = httpx.Client(base_url=served.http_url, timeout=30)

    def median_seconds(sid_for) -> float:
        times = []
        for i in range(7):
            started = time.perf_counter()
            response = client.get("/taskrouter/workspaces/search", auth=(sid_for(i), uuid.uuid4().hex))
            times.append(time.perf_counter() - started)
            assert response.status_code == 401
        return statistics.median(times)

    known = median_seconds(lambda i: account["accountSid"])
    unknown = median_seconds(lambda i: "AC" + uuid.uuid4().hex)
    # Both pay one PBKDF2 (tens of milliseconds); without the decoy an unknown SID cost a few ms.
    assert unknown > known / 2, (known, unknown)
