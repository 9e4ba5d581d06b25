"""Rate limits: a token bucket (`rate` actions a second on average, up to `burst` at once),
and a lockout for guessing (so many wrong guesses, then none for a while).

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

    def give_back(self, now: float, cost: float) -> None:
        """Return `cost` tokens spent on an action that turned out to cost nothing (never past
        `burst`)."""
        self.tokens = min(self.burst, self.available(now) + cost)
        self.updated = now


@dataclass(slots=True)
class _Strikes:
    times: list[float]
    locked_until: float = float("-inf")


class Lockout:
    """Wrong guesses per key (a client address): `limit` of them within `window` seconds lock
    the key out for `penalty` seconds, counted from the guess that reached the limit.

    Unlike a token bucket, which would let a guesser back in one guess at a time as it
    refills (one every 3 s at 20 a minute), a locked key stays locked for the whole
    penalty and is not even checked meanwhile; its count starts afresh after it."""

    def __init__(self, limit: int, window: float, penalty: float, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window = window
        self.penalty = penalty
        self.max_keys = max_keys
        self._strikes: dict[str, _Strikes] = {}

    def exhausted(self, key: str, now: float) -> bool:
        """Whether `key` is locked out now."""
        strikes = self._strikes.get(key)
        return strikes is not None and now < strikes.locked_until

    def take(self, key: str, now: float) -> bool:
        """Count one wrong guess for `key`; False when it is locked out (the guess is then not
        checked, and not counted)."""
        strikes = self._strikes.get(key)
        if strikes is None:
            if len(self._strikes) >= self.max_keys:
                self._forget_quiet(now)
            strikes = self._strikes[key] = _Strikes([])
        if now < strikes.locked_until:
            return False
        strikes.times = [t for t in strikes.times if now - t < self.window and t >= strikes.locked_until]
        strikes.times.append(now)
        if len(strikes.times) >= self.limit:
            strikes.locked_until = now + self.penalty
            strikes.times = []
        return True

    def _forget_quiet(self, now: float) -> None:
        self._strikes = {
            key: s
            for key, s in self._strikes.items()
            if now < s.locked_until or any(now - t < self.window for t in s.times)
        }
