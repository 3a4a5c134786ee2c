"""peewee models. Resources refer to each other by SID (no foreign keys), so deleting a
workspace's configuration leaves its tasks, reservations and events readable."""

from __future__ import annotations

from typing import ClassVar

import peewee as pw

from taskrouter.server.store import current


class StoreDatabase(pw.DatabaseProxy):
    """The database the models use: that of the store in use where the code runs (current.py)."""

    def __init__(self) -> None:
        self._callbacks: list = []

    @property
    def obj(self) -> pw.Database | None:
        store = current.store()
        return None if store is None else store.database


database = StoreDatabase()


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = pw.IntegerField()


class Enterprise(BaseModel):
    id: ClassVar[pw.AutoField[int]]  # the primary key peewee adds, named for type checkers
    sid = pw.CharField(max_length=34, unique=True)
    created_at = pw.DoubleField()


class Account(BaseModel):
    id: ClassVar[pw.AutoField[int]]  # (see Enterprise)
    sid = pw.CharField(max_length=34, unique=True)
    enterprise_sid = pw.CharField(max_length=34, index=True)
    email = pw.CharField(max_length=320)
    # The first auth token's hash, from before rotation (schema 6); Credential holds the live ones.
    token_salt = pw.CharField(max_length=64)
    token_hash = pw.CharField(max_length=128)
    created_at = pw.DoubleField()


class Credential(BaseModel):
    """One generation of an account's secrets: its auth token, as a salted PBKDF2 hash, and its
    callback signing key, kept itself (signing needs it). Rotation adds a generation and ends the
    older ones at `expires_at`, the end of their grace period; NULL means no end."""

    id: ClassVar[pw.AutoField[int]]  # (see Enterprise)

    account_sid = pw.CharField(max_length=34, index=True)
    token_salt = pw.CharField(max_length=64)
    token_hash = pw.CharField(max_length=128)
    signing_key = pw.CharField(max_length=128)
    created_at = pw.DoubleField()
    expires_at = pw.DoubleField(null=True)


class Resource(BaseModel):
    """Columns every API resource has."""

    id: ClassVar[pw.AutoField[int]]  # (see Enterprise)

    sid = pw.CharField(max_length=34, unique=True)
    enterprise_sid = pw.CharField(max_length=34, index=True)
    account_email = pw.CharField(max_length=320, default="")
    created_at = pw.DoubleField(index=True)
    updated_at = pw.DoubleField()


class Workspace(Resource):
    name = pw.CharField(max_length=255)
    prioritize_queue_order = pw.CharField(max_length=8, default="FIFO")
    multi_task_enabled = pw.BooleanField(default=False)
    default_activity_sid = pw.CharField(max_length=34, default="")
    timeout_activity_sid = pw.CharField(max_length=34, default="")
    event_callback_url = pw.TextField(default="")
    # Presence (routing/presence.py): "" is off.
    disconnect_activity_sid = pw.CharField(max_length=34, default="")
    disconnect_grace_seconds = pw.IntegerField(default=30)

    class Meta:
        indexes = ((("enterprise_sid", "name"), True),)


class WorkspaceResource(Resource):
    workspace_sid = pw.CharField(max_length=34, index=True)
    name = pw.CharField(max_length=255)


class Activity(WorkspaceResource):
    available = pw.BooleanField(default=False)

    class Meta:
        indexes = ((("workspace_sid", "name"), True),)


class TaskQueue(WorkspaceResource):
    target_workers = pw.TextField(default="1==1")
    task_order = pw.CharField(max_length=8, default="FIFO")
    max_reserved_workers = pw.IntegerField(default=1)
    assignment_activity_sid = pw.CharField(max_length=34, null=True)
    reservation_activity_sid = pw.CharField(max_length=34, null=True)
    wrap_up_timeout = pw.IntegerField(null=True)  # seconds; null: wrap-up lasts until completed

    class Meta:
        indexes = ((("workspace_sid", "name"), True),)


# The channels every workspace starts with: (uniqueName, name). Tasks default to the first.
DEFAULT_TASK_CHANNELS = (("default", "Default"), ("voice", "Voice"), ("chat", "Chat"), ("sms", "SMS"),
                         ("video", "Video"), ("email", "Email"))


class TaskChannel(WorkspaceResource):
    unique_name = pw.CharField(max_length=64)

    class Meta:
        indexes = ((("workspace_sid", "unique_name"), True),)


class WorkerChannel(Resource):
    """A worker's capacity and availability on one task channel; one per worker per channel."""

    workspace_sid = pw.CharField(max_length=34, index=True)
    worker_sid = pw.CharField(max_length=34)
    task_channel_sid = pw.CharField(max_length=34, index=True)
    capacity = pw.IntegerField(default=1)
    available = pw.BooleanField(default=True)

    class Meta:
        indexes = ((("worker_sid", "task_channel_sid"), True),)


# The worker channels that close a channel to their worker (unavailable, or no capacity): few, and
# all a matching pass without multitasking needs to read (routing/channel_room.py). The condition
# is literal SQL, in the index and in that read alike, so both databases use the partial index
# (also in a prepared statement's generic plan).
CLOSED_CHANNEL = pw.SQL('("available" = false OR "capacity" <= 0)')
WorkerChannel.add_index(WorkerChannel.index(WorkerChannel.workspace_sid, WorkerChannel.worker_sid,
                                            where=CLOSED_CHANNEL, name="worker_channel_closed"))


class Worker(WorkspaceResource):
    activity_sid = pw.CharField(max_length=34, index=True)
    attributes = pw.TextField(default="{}")
    capacity = pw.IntegerField(default=1)
    # When the worker last became free for work: longest idle is offered first.
    idle_since = pw.DoubleField(default=0)
    status_changed_at = pw.DoubleField(default=0)

    class Meta:
        indexes = ((("workspace_sid", "name"), True), (("workspace_sid", "activity_sid"), False))


class QueueMember(BaseModel):
    """Which workers a queue's targetWorkers expression selects, kept current on every change."""

    queue_sid = pw.CharField(max_length=34)
    worker_sid = pw.CharField(max_length=34, index=True)

    class Meta:
        primary_key = pw.CompositeKey("queue_sid", "worker_sid")


class Workflow(WorkspaceResource):
    configuration = pw.TextField()
    assignment_callback_url = pw.TextField(default="")
    fallback_assignment_callback_url = pw.TextField(default="")
    task_reservation_timeout = pw.IntegerField(default=120)

    class Meta:
        indexes = ((("workspace_sid", "name"), True),)


# The order matching reads a queue's waiting tasks in.
QUEUE_LINE = (("task_queue_sid", "status", "priority", "queue_entered_at"), False)


class Task(Resource):
    workspace_sid = pw.CharField(max_length=34)
    workflow_sid = pw.CharField(max_length=34, null=True)
    workflow_name = pw.CharField(max_length=255, null=True)
    account_sid = pw.CharField(max_length=34, default="")
    timeout = pw.IntegerField(default=86400)
    priority = pw.IntegerField(default=0)
    attributes = pw.TextField(default="{}")
    # pending, reserved, assigned, canceled, completed
    status = pw.CharField(max_length=16)
    reason = pw.TextField(null=True)
    task_channel = pw.CharField(max_length=64, default="default")
    bypass_reserved_state = pw.BooleanField(default=False)
    task_queue_sid = pw.CharField(max_length=34, null=True)
    task_queue_name = pw.CharField(max_length=255, null=True)
    queue_entered_at = pw.DoubleField(null=True)
    worker_sid = pw.CharField(max_length=34, null=True)
    # When a reservation of the task was accepted: the start of its handle time (statistics).
    assigned_at = pw.DoubleField(null=True)
    # Where the workflow placed the task: filter index (-1 = default filter) and target index.
    filter_index = pw.IntegerField(null=True)
    target_index = pw.IntegerField(null=True)
    # Timers: when the task's TTL ends and when its current target times out.
    expires_at = pw.DoubleField()
    target_expires_at = pw.DoubleField(null=True)
    origin = pw.CharField(max_length=32, default="taskrouter")
    external_id = pw.CharField(max_length=128, null=True, index=True)
    # The channel's SID (task_channel holds its uniqueName).
    task_channel_sid = pw.CharField(max_length=34, null=True)
    # The task's own priority; `priority` is the one in force (a workflow target may override it).
    requested_priority = pw.IntegerField(null=True)
    # Offered only to this worker (a known-worker target, a transfer to a worker).
    known_worker_sid = pw.CharField(max_length=34, null=True)
    # The transfer in flight, if any: the matcher's offers of the task name it.
    transfer_sid = pw.CharField(max_length=34, null=True)
    # Not routed before this moment. (target_expires_at is the one timer of a task's current step:
    # its scheduled time while not yet routed, its target's timeout while queued, its wrap-up
    # timeout while wrapping.)
    scheduled_at = pw.DoubleField(null=True)

    class Meta:
        # Each index costs every insert; these serve the hot reads (matching, timers, the sweep).
        indexes = (QUEUE_LINE, (("workspace_sid", "status"), False), (("status", "expires_at"), False),
                   (("status", "target_expires_at"), False))


# A FIFO queue's line in the order matching reads it (priority first, then the oldest); a LIFO
# queue reads QUEUE_LINE backwards (the id is SQLite's rowid, the last column of every index).
Task.add_index(Task.index(Task.task_queue_sid, Task.status, Task.priority.desc(), Task.queue_entered_at, Task.id,
                          name="task_fifo_line"))


class Reservation(Resource):
    workspace_sid = pw.CharField(max_length=34, index=True)
    task_sid = pw.CharField(max_length=34, index=True)
    worker_sid = pw.CharField(max_length=34)
    worker_name = pw.CharField(max_length=255, default="")
    task_queue_sid = pw.CharField(max_length=34, default="")
    workflow_sid = pw.CharField(max_length=34, default="")
    # pending, accepted, rejected, timeout, canceled, rescinded, completed
    status = pw.CharField(max_length=16)
    timeout_at = pw.DoubleField(null=True)
    # The worker's activity before the reservation moved it; restored if the reservation fails.
    previous_activity_sid = pw.CharField(max_length=34, null=True)
    task_channel_sid = pw.CharField(max_length=34, null=True)
    transfer_sid = pw.CharField(max_length=34, null=True)

    class Meta:
        # (see Task.Meta)
        indexes = ((("worker_sid", "status"), False), (("status", "timeout_at"), False))


class Transfer(Resource):
    """An assigned task handed from its worker to another worker or a queue."""

    workspace_sid = pw.CharField(max_length=34)
    task_sid = pw.CharField(max_length=34, index=True)
    from_worker_sid = pw.CharField(max_length=34)
    from_reservation_sid = pw.CharField(max_length=34)
    to_sid = pw.CharField(max_length=34)
    mode = pw.CharField(max_length=8)  # cold | warm
    status = pw.CharField(max_length=16)  # initiated | completed | failed | canceled
    reservation_sid = pw.CharField(max_length=34, null=True)
    reason = pw.TextField(null=True)

    class Meta:
        indexes = ((("workspace_sid", "status"), False),)  # the matcher's read of initiated transfers


CHANNEL_MODELS = [TaskChannel, WorkerChannel, Transfer]


class Event(BaseModel):
    """The durable, ordered event log. `seq` is the event's position in its workspace's log, in
    commit order (services/routing/events.py): streams resume after it. `id` is only the row."""

    id = pw.BigAutoField()
    seq = pw.BigIntegerField(null=True)  # null only while a migration numbers old rows
    sid = pw.CharField(max_length=34, unique=True)
    enterprise_sid = pw.CharField(max_length=34)
    workspace_sid = pw.CharField(max_length=34)
    event_type = pw.CharField(max_length=64)
    resource_type = pw.CharField(max_length=32)
    resource_sid = pw.CharField(max_length=34, index=True)
    description = pw.TextField(default="")
    data = pw.TextField(default="{}")
    created_at = pw.DoubleField()
    # The worker the event concerns (its reservation, its activity, its assigned task): the worker stream reads by it.
    worker_sid = pw.CharField(max_length=34, null=True)

    class Meta:
        # (worker_sid, seq) too, made by migration 7 itself: migration 6 builds the indexes named here
        # on databases that do not have worker_sid yet.
        indexes = ((("workspace_sid", "seq"), True),)


class EventSequence(BaseModel):
    """The last position handed out in each workspace's event log. A transaction takes its
    workspaces' rows (in SID order) just before it commits, so positions follow commit order."""

    workspace_sid = pw.CharField(max_length=34, primary_key=True)
    last = pw.BigIntegerField(default=0)


class Delivery(BaseModel):
    """An HTTP callback waiting to be sent (assignment callbacks, event callbacks): an outbox."""

    id = pw.BigAutoField()
    kind = pw.CharField(max_length=16)  # assignment | event
    url = pw.TextField()
    fallback_url = pw.TextField(default="")
    body = pw.TextField()
    reservation_sid = pw.CharField(max_length=34, null=True)
    attempts = pw.IntegerField(default=0)
    due_at = pw.DoubleField(index=True)
    claimed_until = pw.DoubleField(default=0)
    done = pw.BooleanField(default=False, index=True)
    last_error = pw.TextField(default="")


class StatisticsCount(BaseModel):
    """A rollup: one metric's count (and, for a duration, its total, min and max) over one
    minute, hour or day (`granularity` seconds from `start`), per queue, workflow and channel, or
    per worker. Written with the events it counts; statistics sum these rows, never the history."""

    workspace_sid = pw.CharField(max_length=34)
    worker_sid = pw.CharField(max_length=34)  # "" for the workspace's task rows
    granularity = pw.IntegerField()
    start = pw.BigIntegerField()
    task_queue_sid = pw.CharField(max_length=34)
    workflow_sid = pw.CharField(max_length=34)
    task_channel = pw.CharField(max_length=64)
    metric = pw.CharField(max_length=40)
    count = pw.BigIntegerField(default=0)
    total = pw.DoubleField(default=0)
    minimum = pw.DoubleField(null=True)
    maximum = pw.DoubleField(null=True)

    class Meta:
        table_name = "statistics_count"
        primary_key = pw.CompositeKey("workspace_sid", "worker_sid", "granularity", "start", "task_queue_sid",
                                      "workflow_sid", "task_channel", "metric")


class StatisticsBin(BaseModel):
    """A rollup of one duration's distribution: how many values fell into bin `bin` (a DDSketch
    bin, or a whole second for the wait-time splits) in one bucket. Sums of bins merge sketches."""

    workspace_sid = pw.CharField(max_length=34)
    granularity = pw.IntegerField()
    start = pw.BigIntegerField()
    task_queue_sid = pw.CharField(max_length=34)
    workflow_sid = pw.CharField(max_length=34)
    task_channel = pw.CharField(max_length=64)
    metric = pw.CharField(max_length=40)
    bin = pw.IntegerField()
    count = pw.BigIntegerField(default=0)

    class Meta:
        table_name = "statistics_bin"
        primary_key = pw.CompositeKey("workspace_sid", "granularity", "start", "task_queue_sid", "workflow_sid",
                                      "task_channel", "metric", "bin")


class WorkerActivitySpan(BaseModel):
    """A worker entered an activity at `started_at` (and stayed until its next span): the time
    per activity of a worker's statistics."""

    id = pw.BigAutoField()
    worker_sid = pw.CharField(max_length=34)
    activity_sid = pw.CharField(max_length=34)
    started_at = pw.DoubleField()

    class Meta:
        table_name = "statistics_worker_activity"
        indexes = ((("worker_sid", "started_at"), False),)


STATISTICS_MODELS = [StatisticsCount, StatisticsBin, WorkerActivitySpan]


# Ingress: the other platforms' "start a task" APIs (services/ingress/).


class GenesysService(BaseModel):
    """A Genesys service: the workspace and workflow its tasks are routed by."""

    id = pw.BigAutoField()  # Genesys: 64-bit service ids
    enterprise_sid = pw.CharField(max_length=34, index=True)
    workspace_sid = pw.CharField(max_length=34)
    workflow_sid = pw.CharField(max_length=34)
    attributes = pw.TextField(default="{}")
    created_at = pw.DoubleField()

    class Meta:
        table_name = "ingress_genesys_service"


class GenesysTask(BaseModel):
    """A Genesys task id (32-bit, auto-increment) and the routed task behind it."""

    id = pw.AutoField()
    service_id = pw.BigIntegerField(index=True)
    enterprise_sid = pw.CharField(max_length=34)
    task_sid = pw.CharField(max_length=34, null=True)
    created_at = pw.DoubleField()

    class Meta:
        table_name = "ingress_genesys_task"


class GenesysExtensionSchema(BaseModel):
    enterprise_sid = pw.CharField(max_length=34)
    name = pw.CharField(max_length=255)
    single_valued = pw.BooleanField(default=True)
    attributes = pw.TextField(default="[]")  # [{"name", "type", "mandatory"}]
    created_at = pw.DoubleField()

    class Meta:
        table_name = "ingress_genesys_extension_schema"
        indexes = ((("enterprise_sid", "name"), True),)


class SigningSecret(BaseModel):
    """The secret an account signs AWS SigV4 requests with (its auth token), kept only for
    accounts that opted in: SigV4 verification needs the secret itself, not a hash of it."""

    account_sid = pw.CharField(max_length=34, unique=True)
    secret = pw.CharField(max_length=128)
    created_at = pw.DoubleField()

    class Meta:
        table_name = "ingress_signing_secret"


class IdempotencyToken(BaseModel):
    """A client token (Amazon Connect ClientToken) and the task it created; task_sid is null
    while the first request with it is still creating the task."""

    enterprise_sid = pw.CharField(max_length=34)
    source = pw.CharField(max_length=32)
    token = pw.CharField(max_length=500)
    request_hash = pw.CharField(max_length=64)
    task_sid = pw.CharField(max_length=34, null=True)
    created_at = pw.DoubleField(index=True)

    class Meta:
        table_name = "ingress_idempotency_token"
        indexes = ((("enterprise_sid", "source", "token"), True),)


INGRESS_MODELS = [GenesysService, GenesysTask, GenesysExtensionSchema, SigningSecret, IdempotencyToken]


class EgainCustomer(BaseModel):
    """An eGain customer of our own store: created by Create task activity (createCustomer=yes),
    found again by its contact points (EgainContactPoint)."""

    id = pw.BigAutoField()  # the eGain customer id
    enterprise_sid = pw.CharField(max_length=34, index=True)
    customer_type = pw.CharField(max_length=16, default="individual")
    representation = pw.TextField(default="{}")  # the customer element it was created from
    created_at = pw.DoubleField()

    class Meta:
        table_name = "ingress_egain_customer"


class EgainContactPoint(BaseModel):
    """A contact point of an eGain customer, named as searchContactOnAttribute names it
    (email.emailAddress, home.phone, ..., custom.NAME); the value as matched (emails in lower case)."""

    customer_id = pw.BigIntegerField(index=True)
    enterprise_sid = pw.CharField(max_length=34)
    kind = pw.CharField(max_length=128)
    value = pw.CharField(max_length=255)

    class Meta:
        table_name = "ingress_egain_contact_point"
        indexes = ((("enterprise_sid", "kind", "value"), False),)


class EgainCase(BaseModel):
    """An eGain case: created for an activity that names none; activities name it by id."""

    id = pw.BigAutoField()
    enterprise_sid = pw.CharField(max_length=34, index=True)
    workspace_sid = pw.CharField(max_length=34)  # the department it was created in
    customer_id = pw.BigIntegerField(null=True)
    created_at = pw.DoubleField()

    class Meta:
        table_name = "ingress_egain_case"


class EgainActivityAttributes(BaseModel):
    """An enterprise's eGain activity configuration: task subtypes and custom attributes."""

    enterprise_sid = pw.CharField(max_length=34, unique=True)
    subtypes = pw.TextField(default="[]")  # ["general", ...]
    custom_attributes = pw.TextField(default="[]")  # [{"name": ..., "values": [...]}]
    updated_at = pw.DoubleField()

    class Meta:
        table_name = "ingress_egain_activity_attributes"


EGAIN_MODELS = [EgainCustomer, EgainContactPoint, EgainCase, EgainActivityAttributes]

class WorkerToken(BaseModel):
    """A worker-scoped bearer token: only its SHA-256 hash is kept (the token is 256 random bits,
    so a fast hash is enough; a slow one would cost every call)."""

    token_hash = pw.CharField(max_length=64, unique=True)
    worker_sid = pw.CharField(max_length=34, index=True)
    workspace_sid = pw.CharField(max_length=34)
    enterprise_sid = pw.CharField(max_length=34)
    account_sid = pw.CharField(max_length=34)  # the account that issued it
    account_email = pw.CharField(max_length=320, default="")
    expires_at = pw.DoubleField()
    created_at = pw.DoubleField()


class WorkerConnection(BaseModel):
    """One open worker stream on some node, leased: the node renews `lease_until` while the stream
    is open and sets it to the closing moment when it ends; a crashed node's leases just run out."""

    id = pw.BigAutoField()
    worker_sid = pw.CharField(max_length=34, index=True)
    workspace_sid = pw.CharField(max_length=34)
    node = pw.CharField(max_length=64)
    lease_until = pw.DoubleField()


CLIENT_MODELS = [WorkerToken, WorkerConnection]

ALL_MODELS = [
    SchemaVersion,
    Enterprise,
    Account,
    Workspace,
    Activity,
    TaskQueue,
    Worker,
    QueueMember,
    Workflow,
    Task,
    Reservation,
    Event,
    EventSequence,
    Delivery,
]
