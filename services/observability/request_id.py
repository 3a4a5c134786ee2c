"""One request id per API call, shared by the HTTP access log, the server's log lines and the body
of a 5xx answer, so an operator can go from a failed call to every line about it.

The HTTP side adopts the caller's `X-Request-Id` (when it looks like an id) or makes one, answers
with it, and forwards it to the gRPC services as `x-request-id` metadata; a gRPC caller may send the
same metadata. Everything else reads `current()`."""

from __future__ import annotations

import contextvars
import re
import secrets

HEADER = "x-request-id"  # the HTTP header and the gRPC metadata key
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def new() -> str:
    """A fresh id: RQ and 32 hex digits, in the style of the API's SIDs."""
    return "RQ" + secrets.token_hex(16)


def adopt(offered: str | None) -> str:
    """The caller's id when it is a plain token of at most 128 characters, else a new one (a header
    value goes into log lines: nothing that could forge a line or hide a secret is taken)."""
    return offered if offered and _ACCEPTED.fullmatch(offered) else new()


def current() -> str:
    """The id of the call being served, or "" outside of one."""
    return _current.get()


def bind(value: str) -> contextvars.Token:
    """Makes `value` the current id until reset(token)."""
    return _current.set(value)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)

