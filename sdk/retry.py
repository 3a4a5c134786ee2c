"""When and how often to call again: idempotent calls (Get, List, Watch) on UNAVAILABLE, with
exponential backoff and full jitter, so a restarting server is not met by a thundering herd."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator


@dataclasses.dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # calls in all, the first included; 1 turns retrying off
    initial_backoff: float = 0.1  # seconds before the first retry (at most)
    max_backoff: float = 5.0
    multiplier: float = 2.0

    def delays(self, forever: bool = False) -> Iterator[float]:
        """The pauses before each retry: attempts - 1 of them, or without end for streams."""
        ceiling, count = self.initial_backoff, 0
        while forever or count < self.attempts - 1:
            yield random.uniform(0, ceiling)
            ceiling = min(ceiling * self.multiplier, self.max_backoff)
            count += 1


DEFAULT_RETRY = RetryPolicy()
NO_RETRY = RetryPolicy(attempts=1)
