"""kill -9 of a server during a burst of ingress calls (Genesys Start Task, Amazon Connect
StartTaskContact, eGain Create task activity), on both databases. Each call is one transaction
(issue 10, defect 4): after a restart, every ingress record (Genesys task id, ClientToken, eGain
customer and case) exists together with its task and the task's creation event, or none of them
does; and every call the server acknowledged is there."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading

import grpc
import httpx
import psycopg
from fault_tools import ServerProcess, Stubs, create_account, routed_workspace
from polling import eventually

EGAIN = "/core/casemgr/v3/activity/task"
CALLERS_PER_API = 2
KILLS = 5


def _rows(database_url: str, sql: str) -> list[tuple]:
    if database_url.startswith("sqlite:///"):
        with contextlib.closing(sqlite3.connect(database_url.removeprefix("sqlite:///"))) as db:
            return db.execute(sql).fetchall()
    with psycopg.connect(database_url) as db:
        return db.execute(sql).fetchall()


class Burst:
    """Callers of the three ingress APIs, each in a loop until the server is gone; what the server
    acknowledged, per API."""

    def __init__(self, http: httpx.Client, workspace, flow, service_id: int, tag: str):
        self.http, self.workspace, self.flow, self.service_id = http, workspace, flow, service_id
        self.acked: dict[str, dict[str, str]] = {"genesys": {}, "amazon-connect": {}, "egain": {}}
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._loop, args=(call, f"{tag}-{n}"), daemon=True)
                        for call in (self._genesys, self._connect, self._egain) for n in range(CALLERS_PER_API)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        for thread in self.threads:
            thread.join(timeout=30)

    def count(self) -> int:
        with self.lock:
            return sum(len(acked) for acked in self.acked.values())

    def _loop(self, call, caller: str) -> None:
        for n in range(1_000_000):
            try:
                origin, key, value = call(f"{caller}-{n}")
            except httpx.TransportError:
                return  # the server is gone
            with self.lock:
                self.acked[origin][key] = value

    def _genesys(self, name: str) -> tuple[str, str, str]:
        r = self.http.post(f"/services/{self.service_id}/tasks/start", json={"task_type": name})
        assert r.status_code == 201, r.text
        return "genesys", str(r.json()["task_id"]), ""

    def _connect(self, name: str) -> tuple[str, str, str]:
        r = self.http.put("/contact/task", json={"InstanceId": self.workspace.sid, "ContactFlowId": self.flow.sid,
                                                 "Name": name, "ClientToken": f"token-{name}"})
        assert r.status_code == 200, r.text
        return "amazon-connect", f"token-{name}", r.json()["ContactId"]

    def _egain(self, name: str) -> tuple[str, str, str]:
        r = self.http.post(EGAIN, params={"searchContactOnAttribute": "email.emailAddress", "createCustomer": "yes"},
                           json={"department": {"name": self.workspace.name},
                                 "type": {"value": "task", "subtype": {"value": "general"}}, "subject": name,
                                 "customer": {"contacts": {"contact": [{"email": [
                                     {"emailAddress": f"{name}@example.com"}]}]}}})
        assert r.status_code == 201, r.text
        return "egain", r.json()["id"], ""


def test_kill9_during_ingress_leaves_no_half_made_record(fresh_database, tmp_path):
    """Rounds of burst and kill -9, the better to catch a call between two transactions."""
    account = create_account(fresh_database)
    enterprise = account["enterpriseSid"]
    acked: dict[str, dict[str, str]] = {"genesys": {}, "amazon-connect": {}, "egain": {}}
    for round_ in range(KILLS):
        server = ServerProcess(fresh_database, str(tmp_path), http=True)
        with httpx.Client(base_url=server.http_url, auth=(account["accountSid"], account["authToken"]),
                          timeout=10) as http:
            if round_ == 0:
                with grpc.insecure_channel(server.grpc_target) as channel:
                    ws, flow, _ = routed_workspace(Stubs(channel, account), account)
                started = http.post("/services/start", json={"workflowSid": flow.sid})
                assert started.status_code == 201, started.text
            burst = Burst(http, ws, flow, started.json()["service_id"], f"r{round_}")
            burst.start()
            eventually(lambda burst=burst: burst.count() >= 30, timeout=60)
            server.kill9()
            burst.join()
        for origin, calls in burst.acked.items():
            acked[origin].update(calls)
    again = ServerProcess(fresh_database, str(tmp_path))
    again.stop()
    assert "Traceback" not in again.log()

    def query(sql: str) -> list[tuple]:
        return _rows(fresh_database, sql)

    tasks = {sid: (origin, external_id) for sid, origin, external_id in query(
        f"SELECT sid, origin, external_id FROM task WHERE workspace_sid = '{ws.sid}'")}
    created = {sid for (sid,) in query(
        f"SELECT resource_sid FROM event WHERE workspace_sid = '{ws.sid}' AND event_type = 'task.created'")}
    assert created == set(tasks), "a task without its creation event, or an event without its task"

    def tasks_of(origin: str) -> dict[str, str]:
        return {external_id: sid for sid, (o, external_id) in tasks.items() if o == origin}

    genesys = dict(query(f"SELECT id, task_sid FROM ingress_genesys_task WHERE enterprise_sid = '{enterprise}'"))
    assert {str(i): sid for i, sid in genesys.items()} == tasks_of("genesys"), "Genesys task ids and tasks differ"
    tokens = dict(query(f"SELECT token, task_sid FROM ingress_idempotency_token WHERE enterprise_sid = '{enterprise}'"))
    assert tokens == tasks_of("amazon-connect"), "ClientTokens and Connect tasks differ"
    cases = dict(query(f"SELECT id, customer_id FROM ingress_egain_case WHERE enterprise_sid = '{enterprise}'"))
    customers = {i for (i,) in query(f"SELECT id FROM ingress_egain_customer WHERE enterprise_sid = '{enterprise}'")}
    assert {str(i) for i in cases} == set(tasks_of("egain")), "eGain cases and tasks differ"
    assert set(cases.values()) == customers, "eGain customers and cases differ"

    assert set(acked["genesys"]) <= {str(i) for i in genesys}, "an acknowledged Genesys task lost"
    assert acked["amazon-connect"].items() <= tokens.items(), "an acknowledged contact lost"
    assert set(acked["egain"]) <= set(tasks), "an acknowledged eGain activity lost"
    assert all(acked.values()), json.dumps({k: len(v) for k, v in acked.items()})
