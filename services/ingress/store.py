"""The ingress tables, defined with the rest of the schema in services/store/models.py."""

from taskrouter.server.store.models import (  # noqa: F401 - the names the ingress modules use
    GenesysExtensionSchema,
    GenesysService,
    GenesysTask,
    IdempotencyToken,
    SigningSecret,
)
