"""Byte budgets: what a board, a person, a workshop and the whole server may make it hold.

Counts bound nothing by themselves (5,000 ops of 115 KB are 575 MB), so everything a server
keeps for as long as a board is open is counted in bytes as well: its replay window, its
objects, its encoded snapshots, the ops waiting to be committed. Bytes are those of the JSON
the server would send or store; Python holds about 1.5-3 times that (BENCHMARKS.md).

Pure: sizes and the time are passed in.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

from board.core.delivery import Entry
from board.core.errors import ErrorCode, ProtocolError
from board.core.limits import LIMITS
from board.core.ratelimit import TokenBucket

MIB = 1_048_576

REMOVED_ID_BYTES = 192
"""What one removed object's id costs while its board is open (`BoardState.gone`: the id, up to
64 characters, who removed it, and the dict entry holding them), counted with what the board
holds so that creating and deleting in a loop is bounded by the memory budget too."""


class ReplayRing:
    """The last ops of a board, oldest first, for resuming clients: at most `max_entries` of
    them and at most `max_bytes` of their records together. The oldest go first; a client
    further behind gets a snapshot instead, so nothing is lost by forgetting."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: deque[Entry] = deque()
        self._sizes: deque[int] = deque()
        self.bytes = 0

    def append(self, entry: Entry, size: int) -> None:
        self._entries.append(entry)
        self._sizes.append(size)
        self.bytes += size
        while self._entries and (len(self._entries) > self.max_entries or self.bytes > self.max_bytes):
            self.popleft()

    def popleft(self) -> Entry:
        self.bytes -= self._sizes.popleft()
        return self._entries.popleft()

    def __getitem__(self, index: int) -> Entry:
        return self._entries[index]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __bool__(self) -> bool:
        return bool(self._entries)


def board_full(held: int, size: int, limit: int = LIMITS.max_board_bytes) -> ProtocolError | None:
    """Whether an op of `size` bytes that adds to a board holding `held` bytes of objects (and
    ops waiting to be committed) would take it past `limit`: `board_full`, naming the op."""
    if held + size <= limit:
        return None
    return ProtocolError(
        ErrorCode.BOARD_FULL, "op", f"a board holds at most {limit // MIB} MiB; remove something first"
    )


class Ledger:
    """Bytes the server holds for its open boards, against its memory budget. Rooms report
    what they hold as it changes; a write that would take the total past the budget is
    refused (`server_full`) instead of growing it. Small writes (what people do by hand) may
    use a further eighth of the budget, so that one person's big writes reaching the budget
    do not stop everyone else's work; nothing passes `ceiling`."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.ceiling = budget + budget // 8
        self.held = 0
        self.peak = 0

    def change(self, delta: int) -> None:
        self.held += delta
        self.peak = max(self.peak, self.held)

    def refuses(self, size: int, small: bool = False) -> ProtocolError | None:
        if self.held + size <= (self.ceiling if small else self.budget):
            return None
        return ProtocolError(
            ErrorCode.SERVER_FULL,
            "op",
            f"the server holds as much as its memory budget ({self.budget // MIB} MiB) allows; "
            "nothing was changed: try again in a few minutes",
        )


class WriteBudgets:
    """Bytes of ops each participant, and each workshop, may send a minute (token buckets, up
    to a minute's worth at once): `LIMITS.participant_bytes_per_minute` and
    `LIMITS.workshop_bytes_per_minute`. Buckets full for a minute are forgotten."""

    def __init__(
        self,
        participant: int = LIMITS.participant_bytes_per_minute,
        workshop: int = LIMITS.workshop_bytes_per_minute,
    ) -> None:
        self.participant = participant
        self.workshop = workshop
        self._people: dict[str, TokenBucket] = {}
        self._workshops: dict[str, TokenBucket] = {}
        self._swept = 0.0

    def spend(self, ref: str, workshop_id: str, size: int, now: float) -> ProtocolError | None:
        """Take `size` bytes from both budgets, or neither, saying which is spent."""
        if now - self._swept > 60:
            self._sweep(now)
        person = self._people.get(ref) or self._people.setdefault(
            ref, TokenBucket(self.participant / 60, self.participant)
        )
        group = self._workshops.get(workshop_id) or self._workshops.setdefault(
            workshop_id, TokenBucket(self.workshop / 60, self.workshop)
        )
        if person.available(now) < size:
            return _over("you", self.participant)
        if group.available(now) < size:
            return _over("this workshop's participants together", self.workshop)
        person.take(now, size)
        group.take(now, size)
        return None

    def give_back(self, ref: str, workshop_id: str, size: int, now: float) -> None:
        """Return what `spend` took for an op that turned out to be a resend of one already
        committed: it was acked with its seq and applied nothing, so it costs nothing."""
        for buckets, key in ((self._people, ref), (self._workshops, workshop_id)):
            bucket = buckets.get(key)
            if bucket is not None:
                bucket.give_back(now, size)

    def _sweep(self, now: float) -> None:
        self._swept = now
        for buckets, burst in ((self._people, self.participant), (self._workshops, self.workshop)):
            for key in [k for k, b in buckets.items() if b.available(now) >= burst]:
                del buckets[key]


def _over(who: str, per_minute: int) -> ProtocolError:
    return ProtocolError(
        ErrorCode.RATE_LIMITED,
        "op",
        f"{who} may send at most {per_minute // MIB} MiB of changes a minute; "
        "this op was not applied: send it again in a little while",
    )
