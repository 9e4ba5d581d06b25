"""A token bucket: `rate` actions a second on average, up to `burst` at once.

Pure: the caller passes the time, so tests need no clock and no sleeping.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class TokenBucket:
    rate: float
    burst: float
    tokens: float = -1.0
    updated: float = 0.0

    def available(self, now: float) -> float:
        """Tokens there would be at `now`, without spending any."""
        if self.tokens < 0:
            return self.burst
        return min(self.burst, self.tokens + (now - self.updated) * self.rate)

    def take(self, now: float, cost: float = 1.0) -> bool:
        """Spend `cost` tokens if there are enough; say whether the action may go ahead."""
        if self.tokens < 0:
            self.tokens, self.updated = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens < cost:
            return False
        self.tokens -= cost
        return True


class KeyedLimiter:
    """One bucket per key (a client address), forgetting keys that have been full a while."""

    def __init__(self, rate: float, burst: float, max_keys: int = 100_000) -> None:
        self.rate = rate
        self.burst = burst
        self.max_keys = max_keys
        self._buckets: dict[str, TokenBucket] = {}

    def take(self, key: str, now: float) -> bool:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._forget_full(now)
            bucket = self._buckets[key] = TokenBucket(self.rate, self.burst)
        return bucket.take(now)

    def exhausted(self, key: str, now: float) -> bool:
        """Whether `key` has no token left, without spending one."""
        bucket = self._buckets.get(key)
        return bucket is not None and bucket.available(now) < 1

    def _forget_full(self, now: float) -> None:
        refill = self.burst / self.rate
        self._buckets = {k: b for k, b in self._buckets.items() if now - b.updated < refill}
