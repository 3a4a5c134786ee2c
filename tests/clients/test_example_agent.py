"""examples/agent.py against a live server: it goes Online, accepts and completes every task
offered to it, and goes Offline on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from polling import eventually

AGENT = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "agent.py")


def test_example_agent_works_tasks_and_signs_off(desk, server):
    env = dict(os.environ, TASKROUTER_TARGET=server.grpc_target, TASKROUTER_WORKER_TOKEN=desk.token_b,
               TASKROUTER_WORKER_SID=desk.b["sid"])
    # agent a goes away: only the example agent (b) can take the work.
    desk.ok(desk.http.put(f"/taskrouter/workers/{desk.a['sid']}", json={"activitySid": desk.activities["Offline"]}))
    agent = subprocess.Popen([sys.executable, AGENT, "--work-seconds", "0.3"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    try:
        assert agent.stdout.readline().startswith("online as " + desk.b["sid"])
        worker = desk.ok(desk.http.get(f"/taskrouter/workers/search/{desk.b['sid']}"))
        assert worker["activityName"] == "Online"
        tasks = [desk.task(n=n)["sid"] for n in range(3)]

        def all_completed():
            states = [desk.ok(desk.http.get(f"/taskrouter/tasks/search/{sid}")) for sid in tasks]
            return all(t["assignmentStatus"] == "Completed" and t["workerSid"] == desk.b["sid"] for t in states)

        eventually(all_completed, timeout=30)
        agent.send_signal(signal.SIGINT)
        output, _ = agent.communicate(timeout=20)
    finally:
        if agent.poll() is None:
            agent.kill()
    assert agent.returncode == 0, output
    assert output.count("accepted") == 3 and output.count("completed") == 3, output
    assert output.rstrip().endswith("offline")
    worker = desk.ok(desk.http.get(f"/taskrouter/workers/search/{desk.b['sid']}"))
    assert worker["activityName"] == "Offline"
