"""HTTP callbacks, sent from an outbox (the Delivery table) so they never block routing or an
API call and survive a restart.

Retry policy (docs/callbacks.md): each attempt POSTs form-encoded to the URL with a 5 s timeout;
when it fails (connection error, timeout or non-2xx) and a fallback URL is set, the fallback is
tried at once. A failed attempt is retried after 1, 2, 4, 8 s: assignment callbacks up to 3
attempts and only while the reservation is pending, event callbacks up to 5 attempts. Redirects
are not followed. Every callback is signed (callback_signing) and goes only where the operator
allows (callback_urls.Destination)."""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import logging
import socket
import threading
import urllib.parse

from taskrouter.server import accounts
from taskrouter.server.errors import TaskRouterError
from taskrouter.server.observability import tracing
from taskrouter.server.routing import locks, reservations
from taskrouter.server.routing.callback_signing import signed_headers
from taskrouter.server.routing.callback_urls import Destination
from taskrouter.server.routing.context import Environment
from taskrouter.server.routing.statuses import ReservationStatus
from taskrouter.server.store import db, models
from taskrouter.server.store.db import write_transaction
from taskrouter.server.store.prepared import Arg, Prepared

log = logging.getLogger(__name__)
TIMEOUT = 5.0
MAX_ATTEMPTS = {"assignment": 3, "event": 5}
CLAIM_SECONDS = 30.0


def queue_assignment(env: Environment, task: models.Task, worker: models.Worker, workflow: models.Workflow,
                     reservation: dict, now: float) -> None:
    form = {
        "AccountSid": task.account_sid, "WorkspaceSid": task.workspace_sid, "WorkflowSid": workflow.sid,
        "TaskQueueSid": task.task_queue_sid, "TaskSid": task.sid, "TaskAttributes": task.attributes,
        "TaskAge": str(int(now - task.created_at)), "TaskPriority": str(task.priority), "WorkerSid": worker.sid,
        "WorkerAttributes": worker.attributes, "ReservationSid": reservation["sid"], "Timestamp": str(int(now)),
    }
    env.expect_delivery()
    env.observe.delivery_queued(reservation["sid"])
    models.Delivery.create(kind="assignment", url=workflow.assignment_callback_url,
                           fallback_url=workflow.fallback_assignment_callback_url, body=json.dumps(form),
                           reservation_sid=reservation["sid"], due_at=now)


def _post(destination: Destination, url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POSTs the form body to `url`, connecting to the address `destination` allowed."""
    parts, address = destination.address(url)
    assert parts.hostname is not None  # address() refuses a URL without a host
    https = parts.scheme.lower() == "https"
    connection = (http.client.HTTPSConnection if https else http.client.HTTPConnection)(
        parts.hostname, parts.port, timeout=TIMEOUT)
    # The checked address, not a second DNS lookup (TLS still verifies the certificate for the host name).
    connection._create_connection = lambda where, timeout, source: socket.create_connection(  # type: ignore[attr-defined]
        (address, where[1]), timeout, source)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
    tracing.inject(headers)  # the receiver can continue the delivery's trace
    try:
        connection.request("POST", path, body, headers)
        response = connection.getresponse()
        return response.status, response.read(65536)
    finally:
        connection.close()


def _instruction(body: bytes) -> str:
    try:
        reply = json.loads(body or b"{}")
    except ValueError:
        return ""
    return str(reply.get("instruction", "")).lower() if isinstance(reply, dict) else ""


_ANY_DUE = Prepared(lambda: models.Delivery.select(models.Delivery.id).where(
    (models.Delivery.done == False) & (models.Delivery.due_at <= Arg("now"))  # noqa: E712
    & (models.Delivery.claimed_until < Arg("now"))).limit(1))


class CallbackSender:
    """Claims due deliveries and sends them from a small thread pool."""

    def __init__(self, env: Environment, threads: int = 8, destination: Destination | None = None):
        self.env = env
        self.destination = destination or Destination()
        self._wake = threading.Event()
        self._expected = threading.Event()  # a delivery is being written in this process
        self._stop = threading.Event()
        self._pool = concurrent.futures.ThreadPoolExecutor(threads, thread_name_prefix="callback",
                                                           initializer=env.store.activate)
        self._thread = threading.Thread(target=self._run, name="callback-sender", daemon=True)
        self._claim_failures = db.LoopFailures("claiming callbacks", log, env.store.availability, wake=self._wake)
        self._send_failures = db.LoopFailures("recording a callback's outcome", log, env.store.availability)

    def start(self) -> None:
        self._thread.start()

    def expect(self) -> None:
        self._expected.set()

    def expecting(self) -> bool:
        """Whether a delivery was written since the sender last looked (for other processes' sake)."""
        return self._expected.is_set()

    def wake(self) -> None:
        """Look now: another process wrote a delivery."""
        self._wake.set()

    def notify(self) -> None:
        """After a commit: look now if it wrote a delivery (expect()); other processes' rows are
        found by the half-second poll."""
        if self._expected.is_set():
            self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=5)
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self) -> None:
        self.env.store.activate()
        while not self._stop.is_set():
            self._expected.clear()  # before the read, so a delivery written meanwhile wakes it again
            wait = 0.5
            try:
                batch = self._claim()
                self._claim_failures.succeeded()
            except Exception as exc:  # noqa: BLE001 - an outage must not end the sender: back off, log once
                self.env.observe.failed("callbacks", exc)
                wait = self._claim_failures.failed(exc)
                batch = []
            for delivery in batch:
                self._pool.submit(self._send, delivery)
            if len(batch) < 50:
                self._wake.wait(wait)
                self._wake.clear()

    def _claim(self) -> list[models.Delivery]:
        D = models.Delivery
        now = self.env.clock.now()
        if _ANY_DUE.first(now=now) is None:  # a read: no write lock while there is nothing to send
            return []
        due = (D.done == False) & (D.due_at <= now) & (D.claimed_until < now)  # noqa: E712
        with write_transaction(lock_key="deliveries"):
            batch = list(D.select().where(due).order_by(D.id).limit(50))
            if batch:
                D.update(claimed_until=now + CLAIM_SECONDS, attempts=D.attempts + 1).where(
                    D.id.in_([d.id for d in batch])).execute()
        return batch

    def _send(self, delivery: models.Delivery) -> None:
        """A delivery whose outcome could not be stored is sent again once its claim runs out."""
        try:
            with self.env.observe.callback_delivery(delivery.kind, delivery.reservation_sid, delivery.body):
                self._deliver(delivery)
            self._send_failures.succeeded()
        except Exception as exc:  # noqa: BLE001 - logged once per run of failures
            self.env.observe.failed("callbacks", exc)
            self._send_failures.failed(exc)

    def _deliver(self, delivery: models.Delivery) -> None:
        D = models.Delivery
        attempt = delivery.attempts + 1
        if delivery.kind == "assignment" and not self._still_pending(delivery.reservation_sid):
            D.update(done=True, last_error="reservation no longer pending").where(D.id == delivery.id).execute()
            self.env.observe.callback(delivery.kind, "skipped")
            return
        form = json.loads(delivery.body)
        payload = urllib.parse.urlencode(form).encode()
        now = self.env.clock.now()
        headers = signed_headers(accounts.signing_keys(form.get("WorkspaceSid", ""), now), payload, now)
        error = ""
        for url in filter(None, (delivery.url, delivery.fallback_url)):
            try:
                status, body = _post(self.destination, url, payload, headers)
            except (http.client.HTTPException, OSError, ValueError) as exc:
                error = f"{url}: {exc}"
                continue
            if 200 <= status < 300:
                D.update(done=True, last_error="").where(D.id == delivery.id).execute()
                self.env.observe.callback(delivery.kind, "delivered")
                if delivery.kind == "assignment":
                    self._apply(delivery.reservation_sid, _instruction(body))
                return
            error = f"{url}: HTTP {status}"
        if attempt >= MAX_ATTEMPTS.get(delivery.kind, 3):
            D.update(done=True, last_error=error).where(D.id == delivery.id).execute()
            self.env.observe.callback(delivery.kind, "failed")
        else:
            self.env.observe.callback(delivery.kind, "retried")
            D.update(due_at=self.env.clock.now() + 2 ** (attempt - 1), claimed_until=0, last_error=error).where(
                D.id == delivery.id).execute()
            self._wake.set()

    @staticmethod
    def _still_pending(reservation_sid: str | None) -> bool:
        row = models.Reservation.get_or_none(models.Reservation.sid == reservation_sid)
        return row is not None and row.status == ReservationStatus.PENDING

    def _apply(self, reservation_sid: str | None, instruction: str) -> None:
        wanted = {"accept": ReservationStatus.ACCEPTED, "reject": ReservationStatus.REJECTED}.get(instruction)
        if wanted is None or reservation_sid is None:
            return
        reservation = models.Reservation.get_or_none(models.Reservation.sid == reservation_sid)
        if reservation is None:
            return
        try:
            with write_transaction(locks.routing(reservation.workspace_sid)):
                reservation = models.Reservation.get(models.Reservation.sid == reservation_sid)
                reservations.apply(self.env, reservation, wanted, None, reservation.enterprise_sid)
        except TaskRouterError as exc:  # the reservation moved on meanwhile (accepted by API, timed out)
            log.info("callback instruction %s for %s not applied: %s", instruction, reservation_sid, exc)
            return
        self.env.wake(reservation.workspace_sid)
        self.env.notify()
