"""The one lock discipline of every write that can conflict (docs/routing.md, "One lock discipline").

On PostgreSQL these are transaction-scoped advisory locks (store/db.py, write_transaction); on
SQLite the single writer holds everything already. A transaction takes them in this order and
never the other way round, so no two transactions wait for each other in a circle:

1. ingress locks of its own (a ClientToken, an eGain customer), if any;
2. the workspace's structure lock: shared by whatever adds tasks to it (CreateTask, so the group
   commit shares it among creates), exclusive for deleting a queue, a workflow or the workspace;
3. the workspace's routing lock, exclusive: matching passes, timers, task, worker and reservation
   changes, and the deletes of 2 (a re-routed task may enter a queue being deleted);
4. last, just before the commit, the workspace's event-log position (routing/events.py).

Several keys of one level are taken in sorted order."""

from __future__ import annotations


def structure(workspace_sid: str) -> str:
    """Level 2: the workspace's queues, workflows and the workspace itself."""
    return f"structure:{workspace_sid}"


def routing(workspace_sid: str) -> str:
    """Level 3: the state of the workspace's tasks, workers and reservations."""
    return workspace_sid
