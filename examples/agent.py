"""An agent's desktop in 60 lines: signs in with a worker token, goes Online, accepts every offer,
completes each task after a delay, and goes Offline on Ctrl-C.

    taskrouter workers token WK... --ttl 28800 --json     # as an operator: {"token": "wt_...", ...}
    TASKROUTER_WORKER_TOKEN=wt_... python examples/agent.py --worker WK... --work-seconds 5
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading

from taskrouter.client import Client, EventStream, TaskRouterError


def say(*words: object) -> None:
    print(*words, flush=True)


def work(offers: EventStream, client: Client, seconds: float) -> None:
    """Accepts each offer as it comes and completes its task `seconds` later."""
    for event in offers:  # reconnects and resumes by itself
        if event.event_type != "reservation.created":
            continue
        task_sid = json.loads(event.event_data)["taskSid"]
        try:
            client.update_reservation(sid=event.resource_sid, reservation_status="accepted")
        except TaskRouterError as error:  # rescinded or timed out meanwhile
            say("missed", event.resource_sid, error.message)
            continue
        say("accepted", event.resource_sid, "for", task_sid)
        threading.Timer(seconds, complete, (client, task_sid)).start()


def complete(client: Client, task_sid: str) -> None:
    try:
        client.update_task(sid=task_sid, assignment_status="completed", reason="Handled by examples/agent.py")
        say("completed", task_sid)
    except TaskRouterError as error:
        say("could not complete", task_sid, error.message)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--target", default=os.environ.get("TASKROUTER_TARGET", "127.0.0.1:50051"),
                        help="gRPC address of taskrouter (env TASKROUTER_TARGET)")
    parser.add_argument("--token", default=os.environ.get("TASKROUTER_WORKER_TOKEN"),
                        help="worker token (env TASKROUTER_WORKER_TOKEN)")
    parser.add_argument("--worker", default=os.environ.get("TASKROUTER_WORKER_SID"), required=False,
                        help="the worker's SID (env TASKROUTER_WORKER_SID)")
    parser.add_argument("--work-seconds", type=float, default=5.0, help="time spent on each task")
    parser.add_argument("--online", default="Online", help="activity to work in")
    parser.add_argument("--offline", default="Offline", help="activity to leave in")
    args = parser.parse_args()
    if not args.token or not args.worker:
        parser.error("--token and --worker are required (or TASKROUTER_WORKER_TOKEN and TASKROUTER_WORKER_SID)")

    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    with Client(args.target, worker_token=args.token) as client:
        activities = {a.name: a.sid for a in client.iter_activities()}  # the worker's workspace
        offers = client.watch_worker(sid=args.worker)
        threading.Thread(target=work, args=(offers, client, args.work_seconds), daemon=True).start()
        offers.connected.wait()  # watching before going Online: no offer is missed
        client.update_worker(sid=args.worker, activity_sid=activities[args.online])
        say("online as", args.worker)
        stopping.wait()
        client.update_worker(sid=args.worker, activity_sid=activities[args.offline])
        say("offline")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
