"""The ingress tables. They live beside the core schema and are created on first use
(CREATE TABLE IF NOT EXISTS, under the schema lock), so the core migrations need not know them."""

from __future__ import annotations

import threading

import peewee as pw

from services.store import models
from services.store.db import write_transaction


class GenesysService(models.BaseModel):
    """A Genesys service: the workspace and workflow its tasks are routed by."""

    id = pw.BigAutoField()  # Genesys: 64-bit service ids
    enterprise_sid = pw.CharField(max_length=34, index=True)
    workspace_sid = pw.CharField(max_length=34)
    workflow_sid = pw.CharField(max_length=34)
    attributes = pw.TextField(default="{}")
    created_at = pw.DoubleField()

    class Meta:
        table_name = "ingress_genesys_service"


class GenesysTask(models.BaseModel):
    """A Genesys task id (32-bit, auto-increment) and the routed task behind it."""

    id = pw.AutoField()
    service_id = pw.BigIntegerField(index=True)
    enterprise_sid = pw.CharField(max_length=34)
    task_sid = pw.CharField(max_length=34, null=True)
    created_at = pw.DoubleField()

    class Meta:
        table_name = "ingress_genesys_task"


class GenesysExtensionSchema(models.BaseModel):
    enterprise_sid = pw.CharField(max_length=34)
    name = pw.CharField(max_length=255)
    single_valued = pw.BooleanField(default=True)
    attributes = pw.TextField(default="[]")  # [{"name", "type", "mandatory"}]
    created_at = pw.DoubleField()

    class Meta:
        table_name = "ingress_genesys_extension_schema"
        indexes = ((("enterprise_sid", "name"), True),)


class SigningSecret(models.BaseModel):
    """The secret an account signs AWS SigV4 requests with (its auth token), kept only for
    accounts that opted in: SigV4 verification needs the secret itself, not a hash of it."""

    account_sid = pw.CharField(max_length=34, unique=True)
    secret = pw.CharField(max_length=128)
    created_at = pw.DoubleField()

    class Meta:
        table_name = "ingress_signing_secret"


class IdempotencyToken(models.BaseModel):
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


TABLES = [GenesysService, GenesysTask, GenesysExtensionSchema, SigningSecret, IdempotencyToken]
# The database objects already set up (held, so that no later object can reuse an id).
_ready: list = []
_lock = threading.Lock()


def ensure_tables() -> None:
    """Creates the ingress tables in the current database, once per database per process."""
    db = models.database.obj
    if any(d is db for d in _ready):
        return
    with _lock:
        if any(d is db for d in _ready):
            return
        with write_transaction(lock_key="schema"):
            db.create_tables(TABLES, safe=True)
        _ready.append(db)
