"""Log lines as operators read them: `--log-format text` for a person at a terminal, `json` (one
object per line) for a log shipper. Every line carries the request id and, while a span is
recorded, the trace and span ids; secrets are masked before anything is written."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys

from opentelemetry import trace

from taskrouter.server.observability import request_id

FORMATS = ("json", "text")
# Attributes every LogRecord has; anything else on a record came from `extra=` and is a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request_id",
                                                                          "trace_id", "span_id", "taskName"}

# Credentials in any text we are about to write: Authorization header values (Basic, Bearer, AWS
# SigV4 signatures), and the values of keys that hold tokens, keys or passwords (JSON, form, query
# string or Python repr). Every pattern is linear in the text, and a line without any of _HINTS
# (nearly every line) is not searched at all.
_HINTS = re.compile("basic|bearer|digest|aws4|token|key|pass|secret|signature|authorization", re.IGNORECASE)
_SCHEMES = ("basic", "bearer", "digest", "aws4-hmac-sha256")
_SCHEME = re.compile(r"\b(Basic|Bearer|Digest|AWS4-HMAC-SHA256)\s+[^\s\"',;}]+(?:[,;]?\s*[A-Za-z]+=[^\s\"',;}]+)*",
                     re.IGNORECASE)
_PAIR = re.compile(r"""(["']?)(?<![\w.-])([A-Za-z][\w.-]*)\1(\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s&,;}\]"']+)""")
_SECRET_NAME = re.compile(r"(?:token|key|password|passwd|secret|signature|authorization)$", re.IGNORECASE)
MASK = "[REDACTED]"
_JSON = json.JSONEncoder(default=str, ensure_ascii=False)  # one encoder, not one per line


def _masked_scheme(match: re.Match[str]) -> str:
    return match.group(0) if match.group(0).endswith(MASK) else f"{match.group(1)} {MASK}"


def _masked_pair(match: re.Match[str]) -> str:
    quote, name, separator, value = match.groups()
    bare = value.strip("\"'")
    if not _SECRET_NAME.search(name) or bare.startswith("[REDACTED") or bare.lower() in _SCHEMES:
        return match.group(0)  # not a secret's name, masked already, or a scheme whose value _SCHEME masked
    masked = value[0] + MASK + value[0] if value[:1] in "\"'" else MASK
    return f"{quote}{name}{quote}{separator}{masked}"


def redact(text: str) -> str:
    """`text` with every credential it may hold replaced by [REDACTED]."""
    if not text:
        return text
    if not _HINTS.search(text):
        return text
    return _PAIR.sub(_masked_pair, _SCHEME.sub(_masked_scheme, text))


class _Context(logging.Filter):
    """Adds request_id, trace_id and span_id to every record (empty outside a call or a span)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.current()
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            record.trace_id, record.span_id = format(context.trace_id, "032x"), format(context.span_id, "016x")
        else:
            record.trace_id = record.span_id = ""
        return True


def _fields(record: logging.LogRecord) -> dict:
    return {key: value for key, value in vars(record).items() if key not in _STANDARD and not key.startswith("_")}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, trace ids, the
    record's extra fields, and the exception when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key in ("request_id", "trace_id", "span_id"):
            if getattr(record, key, ""):
                line[key] = getattr(record, key)
        for key, value in _fields(record).items():
            line[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        return _JSON.encode(line)


class TextFormatter(logging.Formatter):
    """`time level logger [request id] message`, the traceback on the lines after it."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(context)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        rid = getattr(record, "request_id", "")
        record.context = f" [{rid}]" if rid else ""
        return redact(super().format(record))


def default_format(stream=None) -> str:
    """text on a terminal, json otherwise (a file, a pipe, a container's log collector)."""
    stream = stream or sys.stderr
    return "text" if hasattr(stream, "isatty") and stream.isatty() else "json"


def configure(log_format: str | None = None, level: str | int = "info", stream=None) -> None:
    """Sends every logger's lines to `stream` (stderr) in `log_format` (default_format() when None)."""
    stream = stream or sys.stderr
    log_format = log_format or default_format(stream)
    if log_format not in FORMATS:
        raise ValueError(f"unknown log format {log_format!r}; choose from {', '.join(FORMATS)}")
    # What our lines never show, not gathered for each record (the logging HOWTO's "Optimization").
    logging.logProcesses = logging.logMultiprocessing = False
    logging._srcfile = None  # no caller lookup (file, line, function)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(_Context())
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
