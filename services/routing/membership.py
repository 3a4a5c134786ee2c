"""Queue membership: a worker belongs to every queue whose targetWorkers expression its
attributes satisfy. Stored in QueueMember and refreshed whenever a worker or queue changes."""

from __future__ import annotations

import json

from taskrouter.server.errors import TaskRouterError
from taskrouter.server.routing.expressions import Expression, ExpressionError, compile_expression
from taskrouter.server.store import models


def compile_checked(source: str, field: str) -> Expression:
    """Compiles an expression given through the API; a syntax error is a 400 with its position."""
    try:
        return compile_expression(source)
    except ExpressionError as exc:
        raise TaskRouterError(
            "INVALID_EXPRESSION", source, f"Invalid {field}: {exc.message}"
        ) from None


def attributes_of(row: models.Worker | models.Task) -> dict:
    """A worker's or task's attributes as a JSON object ({} when they are not one)."""
    try:
        value = json.loads(row.attributes or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def worker_context(worker: models.Worker, attributes: dict | None = None) -> dict:
    """What `worker.` names in an expression: the worker's attributes, plus its `sid` and
    `friendly_name` (which win over attributes of those names)."""
    attributes = attributes_of(worker) if attributes is None else attributes
    return {**attributes, "sid": worker.sid, "friendly_name": worker.name}


def _selects(queue: models.TaskQueue, worker: models.Worker) -> bool:
    try:
        attributes = attributes_of(worker)
        return compile_expression(queue.target_workers or "1==1").matches(
            attributes, worker=worker_context(worker, attributes))
    except ExpressionError:
        return False


def refresh_worker(worker: models.Worker) -> None:
    queues = models.TaskQueue.select().where(models.TaskQueue.workspace_sid == worker.workspace_sid)
    models.QueueMember.delete().where(models.QueueMember.worker_sid == worker.sid).execute()
    rows = [{"queue_sid": q.sid, "worker_sid": worker.sid} for q in queues if _selects(q, worker)]
    if rows:
        models.QueueMember.insert_many(rows).execute()


def refresh_queue(queue: models.TaskQueue) -> None:
    workers = models.Worker.select(models.Worker.sid, models.Worker.name, models.Worker.attributes).where(
        models.Worker.workspace_sid == queue.workspace_sid
    )
    models.QueueMember.delete().where(models.QueueMember.queue_sid == queue.sid).execute()
    rows = [{"queue_sid": queue.sid, "worker_sid": w.sid} for w in workers if _selects(queue, w)]
    for start in range(0, len(rows), 500):
        models.QueueMember.insert_many(rows[start : start + 500]).execute()


def forget_worker(worker_sid: str) -> None:
    models.QueueMember.delete().where(models.QueueMember.worker_sid == worker_sid).execute()


def forget_queue(queue_sid: str) -> None:
    models.QueueMember.delete().where(models.QueueMember.queue_sid == queue_sid).execute()


def member_sids(queue_sid: str) -> list[str]:
    query = models.QueueMember.select(models.QueueMember.worker_sid).where(models.QueueMember.queue_sid == queue_sid)
    return [row.worker_sid for row in query]
