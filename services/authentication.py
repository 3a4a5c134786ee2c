"""Checking credentials cheaply under attack.

A wrong auth token costs a PBKDF2 hash (tens of milliseconds of CPU, on purpose). So:
- failed attempts are counted per account SID and per client address, and past a burst the
  next attempt is refused with 429 and Retry-After *before* any hashing;
- an unknown account SID costs the same database read and hash as a known one, so timing does
  not tell which SIDs exist;
- a successful verification is remembered (by a SHA-256 of the token, never the token), and
  the remembered answer is checked against the account's live credentials on every call, so a
  rotation or a grace period's end takes effect at once, in every process.
Every credential check (Basic today, others as they come) goes through Authenticator.

Limits are per process (docs/security.md): N processes allow N times the burst."""

from __future__ import annotations

import collections
import hashlib
import hmac
import ipaddress
import math
import threading

from taskrouter.server import accounts
from taskrouter.server.clock import Clock
from taskrouter.server.errors import TaskRouterError
from taskrouter.server.limits import Limits
from taskrouter.server.routing.context import Caller

# Metadata the HTTP gateway adds: the address of its own client.
CLIENT_METADATA_KEY = "x-taskrouter-client"
# Compared against for an unknown SID, so that it costs one hash like a known one.
_DECOY_SALT = "00" * 16
_DECOY_HASH = "0" * 64


class FailureBuckets:
    """A token bucket of failed attempts per key, in a bounded map (oldest keys are dropped)."""

    def __init__(self, burst: int, window: float, max_keys: int = 100_000):
        self.burst = burst
        self.rate = burst / window  # attempts given back per second
        self.max_keys = max_keys
        self._buckets: collections.OrderedDict[str, tuple[float, float]] = collections.OrderedDict()
        self._lock = threading.Lock()

    def _level(self, key: str, now: float) -> float:
        tokens, at = self._buckets.get(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - at) * self.rate)

    def wait(self, key: str, now: float) -> float:
        """Seconds until `key` may try again (0: now)."""
        with self._lock:
            level = self._level(key, now)
        return 0.0 if level >= 1 else (1 - level) / self.rate

    def spend(self, key: str, now: float) -> None:
        """Counts one failed attempt of `key`."""
        with self._lock:
            self._buckets[key] = (max(0.0, self._level(key, now) - 1), now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)


def client_address(peer: str, metadata) -> str:
    """The caller's address: the connection's peer, or, when the peer is the HTTP gateway of this
    host (loopback, a Unix socket, or its in-process channel), the client address it forwarded."""
    kind, _, rest = peer.partition(":")
    host = rest.rpartition(":")[0].strip("[]") if kind in ("ipv4", "ipv6") else peer
    try:
        this_host = ipaddress.ip_address(host).is_loopback
    except ValueError:
        this_host = kind in ("unix", "local")
    if this_host:
        forwarded = next((value for key, value in metadata if key == CLIENT_METADATA_KEY), "")
        if forwarded:
            return forwarded[:64]
    return host


class Authenticator:
    """Verifies account credentials, throttling failures (limits.Limits' failed_login_* fields)
    and remembering successes."""

    def __init__(self, limits: Limits | None = None, clock: Clock | None = None, max_remembered: int = 4096):
        limits = limits or Limits()
        self.clock = clock or Clock()
        self.per_account = FailureBuckets(limits.failed_logins_per_account, limits.failed_login_window)
        self.per_client = FailureBuckets(limits.failed_logins_per_client, limits.failed_login_window)
        self.max_remembered = max_remembered
        self._verified: collections.OrderedDict[tuple[str, bytes], int] = collections.OrderedDict()
        self._lock = threading.Lock()

    def basic(self, account_sid: str, token: str, client: str) -> Caller | None:
        """The caller for an account SID and auth token, or None; raises TOO_MANY_FAILED_LOGINS
        (429 with a retry delay) while the account or the client is over its failure allowance."""
        now = self.clock.now()
        key = (account_sid, hashlib.sha256(token.encode()).digest())
        with self._lock:
            remembered = self._verified.get(key)
        if remembered is None:
            self._refuse_if_throttled(f"account:{account_sid}", f"client:{client}", now)
        live = accounts.live_credentials(account_sid, now)
        for credential in live:
            if credential.id == remembered:
                return Caller(account_sid, credential.enterprise_sid, credential.email)
        found = self._verify(token, live)
        if found is None:
            self.per_account.spend(f"account:{account_sid}", now)
            self.per_client.spend(f"client:{client}", now)
            return None
        with self._lock:
            self._verified[key] = found.id
            self._verified.move_to_end(key)
            while len(self._verified) > self.max_remembered:
                self._verified.popitem(last=False)
        return Caller(account_sid, found.enterprise_sid, found.email)

    @staticmethod
    def _verify(token: str, live: list[accounts.LiveCredential]) -> accounts.LiveCredential | None:
        if not live:  # an unknown SID: the same hash as a known one
            hmac.compare_digest(accounts.hash_token(token, _DECOY_SALT), _DECOY_HASH)
            return None
        for credential in live:
            if hmac.compare_digest(accounts.hash_token(token, credential.token_salt), credential.token_hash):
                return credential
        return None

    def _refuse_if_throttled(self, account_key: str, client_key: str, now: float) -> None:
        wait = max(self.per_account.wait(account_key, now), self.per_client.wait(client_key, now))
        if wait > 0:
            raise TaskRouterError("TOO_MANY_FAILED_LOGINS", "",
                                  f"Too many failed authentication attempts: try again in {math.ceil(wait)} s",
                                  retry_after=wait)
