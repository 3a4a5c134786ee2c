"""History for the statistics figure: a workspace's finished tasks and the rollups they left,
written in bulk straight into the tables (the API would take hours to make a million tasks)."""

from __future__ import annotations

import json
import math
import random
import time
import uuid

DAY = 86_400


def seed_history(signal, *, database_url: str, workspace_sid: str, workflow_sid: str, queue_sids: list[str],
                 worker_sids: list[str], tasks: int, days: int, chunk: int = 5000) -> dict:
    """`tasks` completed (and some canceled) tasks spread over the last `days` days, each with
    the observations the event path would have rolled up (rollup.aggregate, the server's own
    code), written day by day; the day buckets at the end."""
    from taskrouter.server.routing.statistics import rollup
    from taskrouter.server.store import db, models
    from taskrouter.server.store.db import write_transaction

    store = db.connect(database_url)
    rng = random.Random(13)
    started = time.monotonic()
    now = time.time()
    first = now - days * DAY
    spacing = (now - 600 - first) / tasks
    daily: tuple[dict, dict] = ({}, {})
    counts = {"tasks": 0, "count_rows": 0, "bin_rows": 0}

    def insert(model, rows: list[tuple], fields: list[str]) -> None:
        columns = ", ".join(f'"{model._meta.fields[n].column_name}"' for n in fields)
        marks = ", ".join([models.database.param] * len(fields))
        sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
        if db.is_postgres():  # COPY: ten times executemany's rate
            with write_transaction(), models.database.cursor().copy(
                    f'COPY "{model._meta.table_name}" ({columns}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for start in range(0, len(rows), chunk):
            with write_transaction():
                models.database.cursor().executemany(sql, rows[start:start + chunk])

    task_fields = ["sid", "enterprise_sid", "account_email", "created_at", "updated_at", "workspace_sid",
                   "workflow_sid", "workflow_name", "account_sid", "timeout", "priority", "attributes", "status",
                   "reason", "task_channel", "bypass_reserved_state", "task_queue_sid", "task_queue_name",
                   "queue_entered_at", "worker_sid", "assigned_at", "filter_index", "target_index", "expires_at",
                   "origin"]
    enterprise = models.Workspace.get(models.Workspace.sid == workspace_sid).enterprise_sid
    index = 0
    while index < tasks:
        day_end = (math.floor((first + index * spacing) / DAY) + 1) * DAY
        task_rows, observations = [], []
        while index < tasks and first + index * spacing < day_end:
            created = first + index * spacing
            queue = index % len(queue_sids)
            channel = "voice" if index % 3 else "chat"
            wait = min(rng.lognormvariate(3, 1), 900.0)
            canceled = rng.random() < 0.05
            handle = min(rng.lognormvariate(5, 0.7), 3600.0)
            ended = min(created + wait + (0 if canceled else handle), day_end - 1e-3, now - 1)
            key = (workspace_sid, "", queue_sids[queue], workflow_sid, channel)
            observations.append(rollup.Observation(key[0], created, *key[1:], "tasksCreated"))
            worker = worker_sids[index % len(worker_sids)]
            if canceled:
                observations.append(rollup.Observation(key[0], ended, *key[1:], "tasksCanceled"))
                observations.append(rollup.Observation(key[0], ended, *key[1:], rollup.WAIT_CANCELED, ended - created))
                assigned = None
            else:
                assigned = min(created + wait, ended)
                for metric in ("reservationsCreated", "reservationsAccepted"):
                    observations.append(rollup.Observation(key[0], assigned, *key[1:], metric))
                    observations.append(rollup.Observation(workspace_sid, assigned, worker, "", "", "", metric))
                observations.append(rollup.Observation(key[0], assigned, *key[1:], rollup.WAIT_ACCEPTED,
                                                       assigned - created))
                observations.append(rollup.Observation(key[0], ended, *key[1:], "tasksCompleted"))
                observations.append(rollup.Observation(key[0], ended, *key[1:], rollup.HANDLE, ended - assigned))
            task_rows.append((
                "TK" + uuid.uuid4().hex, enterprise, "bench@localhost", created, ended, workspace_sid, workflow_sid,
                "by team", "", 86_400, 0, json.dumps({"team": f"q{queue}"}), "canceled" if canceled else "completed",
                None, channel, False, queue_sids[queue], f"q{queue}", created, None if canceled else worker,
                assigned, queue, 0, created + 86_400, "taskrouter"))
            index += 1
        insert(models.Task, task_rows, task_fields)
        count_rows, bin_rows = rollup.table_rows(*rollup.aggregate(observations, rollup.GRANULARITIES[:2]))
        rollup.aggregate(observations, rollup.GRANULARITIES[2:], into=daily)
        insert(models.StatisticsCount, count_rows, models.StatisticsCount._meta.sorted_field_names)
        insert(models.StatisticsBin, bin_rows, models.StatisticsBin._meta.sorted_field_names)
        counts["tasks"] += len(task_rows)
        counts["count_rows"] += len(count_rows)
        counts["bin_rows"] += len(bin_rows)
    count_rows, bin_rows = rollup.table_rows(*daily)
    insert(models.StatisticsCount, count_rows, models.StatisticsCount._meta.sorted_field_names)
    insert(models.StatisticsBin, bin_rows, models.StatisticsBin._meta.sorted_field_names)
    counts["count_rows"] += len(count_rows)
    counts["bin_rows"] += len(bin_rows)
    if db.is_postgres():
        models.database.execute_sql("ANALYZE")
    store.close()
    return dict(counts, seconds=time.monotonic() - started)
